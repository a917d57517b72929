// Whether this binary is built with AddressSanitizer (make test-sanitize, MIGSIM_SANITIZE or MIGSIM_FUZZ).
// SimGrid switches between its actors' stacks by itself (raw or ucontext contexts); ASan cannot follow
// that and reports false stack-buffer overflows, so a sanitized simulation uses SimGrid's thread
// contexts, which ASan understands (slower, same results).
#pragma once

namespace migsim {

#if defined(__SANITIZE_ADDRESS__)
constexpr bool built_with_asan = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool built_with_asan = true;
#else
constexpr bool built_with_asan = false;
#endif
#else
constexpr bool built_with_asan = false;
#endif

}  // namespace migsim
