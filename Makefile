# migsim: the two commands of the quick start, and a few more.
#   make demo   install what is missing, build, compare the policies on the built-in default scenario
#   make test   install what is missing, build, run every test
#   make test-sanitize  the same tests on an AddressSanitizer + UBSan build in build-asan/ (docs/errors.md)
#   make figures  run the sweeps behind the standard figures and render them into figures/ (a few minutes on 2 cores)
#   make validate run the validation suite: migsim against published figures, closed forms, SimGrid's plugin
#   make testbed  real QEMU migrations (TCG) of a tiny guest: set-up, then the grid of tests/testbed/ (docs/testbed.md)
BUILD ?= build
JOBS  ?= $(shell nproc)
SUDO  := $(shell [ "$$(id -u)" -eq 0 ] || echo sudo)

# Debian 12 packages: toolchain, the chosen libraries, Python for analysis/.
PACKAGES := cmake g++ make pkg-config git libsimgrid-dev libeigen3-dev nlohmann-json3-dev libcli11-dev \
            doctest-dev python3 python3-matplotlib python3-pandas python3-scipy time

# Only for `make test`: the Slurm sweep test starts a one-node cluster on localhost (tests/slurm/).
TEST_PACKAGES := slurm-wlm munge
# Only for `make test`: clang with libFuzzer (tests/fuzz/) and a JSON Schema validator (tests/scenario/);
# their tests are skipped where these are missing.
CHECK_PACKAGES := clang libclang-rt-14-dev python3-jsonschema
ASAN_BUILD    ?= build-asan
# AddressSanitizer: SimGrid's globals are not freed at exit (leak reports would be noise); a report goes
# to a file (a simulation's stderr is captured by its parent) and fails `make test-sanitize`.
SANITIZER_ENV := ASAN_OPTIONS=detect_leaks=0:log_path=$(CURDIR)/$(ASAN_BUILD)/sanitizer-reports/asan \
                 UBSAN_OPTIONS=print_stacktrace=1:log_path=$(CURDIR)/$(ASAN_BUILD)/sanitizer-reports/ubsan

DEMO_POLICIES := precopy drop-cache san-restore san-adaptive san-lazy

.PHONY: deps test-deps configure build demo test test-sanitize bench bench-scaling sweep-bench figures validate testbed clean

# install_missing PACKAGES: apt-get install those not installed yet.
define install_missing
	@missing=$$(for p in $(1); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "installing:" $$missing; \
	  $(SUDO) apt-get update -q && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q --no-install-recommends $$missing; \
	fi
endef

# fresh_build_dir DIR: a build folder copied along with its checkout (cp -a) still names the original
# tree in its CMakeCache.txt, so cmake refuses it and `cmake --build` would rebuild the original. One
# configured for another source tree, or that was itself moved, is removed and configured afresh
# (a build folder holds nothing but what the build makes).
define fresh_build_dir
	@cache='$(1)/CMakeCache.txt'; \
	if [ -f "$$cache" ]; then \
	  home=$$(sed -n 's/^CMAKE_HOME_DIRECTORY:INTERNAL=//p' "$$cache"); \
	  at=$$(sed -n 's/^CMAKE_CACHEFILE_DIR:INTERNAL=//p' "$$cache"); \
	  here=$$(pwd -P); dir=$$(cd '$(1)' && pwd -P); \
	  if [ "$$(cd "$$home" 2>/dev/null && pwd -P)" != "$$here" ] || [ "$$(cd "$$at" 2>/dev/null && pwd -P)" != "$$dir" ]; then \
	    echo "$(1)/ was configured for the source tree $$home (build folder $$at), not this one ($$here): removing it to configure it afresh"; \
	    rm -rf '$(1)'; \
	  fi; \
	fi
endef

deps:
	$(call install_missing,$(PACKAGES))

test-deps: deps
	$(call install_missing,$(TEST_PACKAGES))
	$(call install_missing,$(CHECK_PACKAGES))

configure: deps
	$(call fresh_build_dir,$(BUILD))
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release

build: configure
	cmake --build $(BUILD) -j$(JOBS)

# The demo needs the binary only, not the tests.
demo: configure
	cmake --build $(BUILD) -j$(JOBS) --target migsim
	$(BUILD)/migsim run $(foreach p,$(DEMO_POLICIES),--policy $(p))

test: build test-deps
	cd $(BUILD) && ctest --output-on-failure -j$(JOBS)

# The test suite on an ASan + UBSan build (-O1: about twice as fast to build as -O2 under ASan). Not the
# fuzz run (make test has it), the plotting scripts (Python only) nor the real QEMU migration (no
# migsim code runs in it). SimGrid's actors run on threads
# there (sim/engine/sanitizer_build.hpp).
test-sanitize: deps test-deps
	$(call fresh_build_dir,$(ASAN_BUILD))
	cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g" \
	  -DMIGSIM_SANITIZE=ON -DMIGSIM_FUZZ_SECONDS=0
	cmake --build $(ASAN_BUILD) -j$(JOBS)
	rm -rf $(ASAN_BUILD)/sanitizer-reports && mkdir -p $(ASAN_BUILD)/sanitizer-reports
	cd $(ASAN_BUILD) && $(SANITIZER_ENV) ctest --output-on-failure -j$(JOBS) -E '^(analysis_plots|fuzz_scenario_loader|testbed_one_migration)$$'; \
	  status=$$?; cd sanitizer-reports && reports=$$(grep -l -e '^==.*ERROR:' -e 'runtime error:' * 2>/dev/null); \
	  if [ -n "$$reports" ]; then cat $$reports; echo "sanitizer reports: $$reports"; exit 1; fi; \
	  exit $$status

# The performance targets as ratios measured side by side, plus absolute figures (docs/performance.md).
# `make bench-scaling`: wall time and peak memory against guest size, 1 GiB to 1 TiB.
bench: build
	tests/perf/bench.sh $(BUILD)/migsim
	$(BUILD)/tests/io_model_phases

bench-scaling: build
	tests/perf/memory_scaling.sh $(BUILD)/migsim 1 4 16 64 256 1024

# Sweep throughput: 1000 runs of the default scenario with --jobs 2 (docs/sweeps.md).
sweep-bench: build
	tests/perf/sweep_benchmark.sh $(BUILD)/migsim 2

# The standard figures of the README: small sweeps (a few minutes on 2 cores), rendered into figures/.
figures: build
	analysis/make_figures.sh $(BUILD)/migsim figures $(JOBS)

# The validation suite (docs/validation.md); exit status 0 only if no check fails.
validate: build
	$(BUILD)/migsim validate-suite scenarios/validation --jobs $(JOBS)

# Real migrations between two local QEMUs (root; about 75 min). Resumable: records that exist are kept.
TESTBED_BUILD ?= $(BUILD)/testbed
TESTBED_OUT   ?= results/testbed-$(shell date -u +%Y%m%d)
testbed:
	bash tests/testbed/setup.sh $(TESTBED_BUILD)
	/usr/bin/python3 tests/testbed/run_grid.py --build $(TESTBED_BUILD) --out $(TESTBED_OUT)

clean:
	rm -rf $(BUILD) $(ASAN_BUILD)
