#!/usr/bin/env python3
"""Fails on a link in README.md or docs/*.md that leads nowhere: a relative link to a file that is not
in the repository, an #anchor that no heading of the target makes (GitHub's rule: lower case, spaces
to '-', punctuation dropped, repeats numbered -1, -2, ...), or a path of a developer's machine
(/work/..., /home/..., /root/...) that no reader has. Usage: check_links.py SOURCE_DIR"""
import os
import re
import sys

LINK = re.compile(r"(?<!!)\[(?:[^\]\[]|\[[^\]]*\])*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
MACHINE_PATH = re.compile(r"(?<![\w.~-])/(?:work|home|root)/[\w.+~-]")
FENCE = re.compile(r"^\s*(```|~~~)")


def slug(heading):
    """GitHub's anchor for a heading."""
    text = re.sub(r"`([^`]*)`", r"\1", heading.strip())
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)  # a link in a heading: its text
    text = text.lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def anchors(path):
    found, seen = set(), {}
    in_fence = False
    with open(path, encoding="utf-8") as f:
        for line in f:
            if FENCE.match(line):
                in_fence = not in_fence
                continue
            m = None if in_fence else re.match(r"^#{1,6}\s+(.*?)\s*#*\s*$", line)
            if m:
                base = slug(m.group(1))
                n = seen.get(base, 0)
                seen[base] = n + 1
                found.add(base if n == 0 else f"{base}-{n}")
            for a in re.findall(r"<a\s+(?:name|id)=\"([^\"]+)\"", line):
                found.add(a)
    return found


def problems(root):
    files = [os.path.join(root, "README.md")]
    docs = os.path.join(root, "docs")
    files += sorted(os.path.join(docs, f) for f in os.listdir(docs) if f.endswith(".md"))
    cache = {}
    for path in files:
        rel = os.path.relpath(path, root)
        in_fence = False
        with open(path, encoding="utf-8") as f:
            lines = f.readlines()
        for number, line in enumerate(lines, 1):
            for m in MACHINE_PATH.finditer(line):
                yield f"{rel}:{number}: a path of a developer's machine, not of the repository: {line[m.start():].split()[0]}"
            if FENCE.match(line):
                in_fence = not in_fence
                continue
            if in_fence:
                continue
            for target in LINK.findall(re.sub(r"`[^`]*`", "", line)):
                if re.match(r"^[a-z][a-z0-9+.-]*:", target):  # https:, mailto:
                    continue
                file_part, _, anchor = target.partition("#")
                target_path = os.path.normpath(os.path.join(os.path.dirname(path), file_part)) if file_part else path
                if not os.path.exists(target_path):
                    yield f"{rel}:{number}: link to {target}: no such file in the repository"
                    continue
                if not os.path.abspath(target_path).startswith(os.path.abspath(root) + os.sep):
                    yield f"{rel}:{number}: link to {target}: outside the repository"
                    continue
                if anchor and target_path.endswith(".md"):
                    if target_path not in cache:
                        cache[target_path] = anchors(target_path)
                    if anchor not in cache[target_path]:
                        yield f"{rel}:{number}: link to {target}: no heading of {os.path.relpath(target_path, root)} makes #{anchor}"


def self_test():
    """The checker finds each kind of problem, and passes what is right."""
    import tempfile
    with tempfile.TemporaryDirectory() as root:
        os.mkdir(os.path.join(root, "docs"))
        with open(os.path.join(root, "docs", "a.md"), "w") as f:
            f.write("# A page\n\n## How to add a policy\n\n## How to add a policy\n\n```\n# not a heading\n```\n")
        good = "[a](docs/a.md#how-to-add-a-policy) [b](docs/a.md#how-to-add-a-policy-1) [c](https://x.org/#y) `[d](nope.md)`\n"
        bad = ("[e](docs/a.md#adding-a-policy) [f](docs/missing.md) [g](docs/a.md#not-a-heading)\n"
               "see /work/shared/docs/domain.md and /home/me/x\n")
        with open(os.path.join(root, "README.md"), "w") as f:
            f.write(good)
        assert list(problems(root)) == [], list(problems(root))
        with open(os.path.join(root, "README.md"), "w") as f:
            f.write(good + bad)
        found = list(problems(root))
        assert len(found) == 5, found
    print("docs links self-test: passed")
    return 0


def main():
    if sys.argv[1:] == ["--self-test"]:
        return self_test()
    root = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else ".")
    found = list(problems(root))
    for p in found:
        print(p)
    print(f"docs links: {len(found)} problem(s)")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
