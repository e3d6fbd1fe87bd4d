#!/bin/sh
# test.sh — the whole test suite, as CI runs it: set up and build, run every test, then build
# again with AddressSanitizer and UndefinedBehaviorSanitizer and run every test once more.
set -eu
cd "$(dirname "$0")/.."
scripts/setup.sh build
ctest --test-dir build --output-on-failure -j "$(nproc)"
scripts/setup.sh build-asan -DCMAKE_BUILD_TYPE=Debug -DKADER_SANITIZE=ON
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
    ctest --test-dir build-asan --output-on-failure -j "$(nproc)"
echo "test: all tests passed, also under ASan and UBSan"
