#!/bin/sh
# test.sh — the whole test suite, as CI runs it: set up and build, run every test, then build
# again with AddressSanitizer and UndefinedBehaviorSanitizer and run every test once more, and
# run the multi-threaded test under ThreadSanitizer.
set -eu
cd "$(dirname "$0")/.."
scripts/setup.sh build
# the HTML report is rendered in headless Chromium by one test (tests/html)
if ! command -v chromium >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ]; then sudo=""; else sudo="sudo"; fi
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null
fi
ctest --test-dir build --output-on-failure -j "$(nproc)"
scripts/setup.sh build-asan -DCMAKE_BUILD_TYPE=Debug -DKADER_SANITIZE=ON
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
    ctest --test-dir build-asan --output-on-failure -j "$(nproc)"
# the multi-threaded embedding test once more under ThreadSanitizer
scripts/setup.sh build-tsan -DCMAKE_BUILD_TYPE=Debug -DKADER_TSAN=ON
ctest --test-dir build-tsan --output-on-failure -R '^unit\.threads$'
# a short fuzzing smoke: a minute per target, two at a time (clang and libFuzzer are installed
# by fuzz.sh when missing); any crash, leak or timeout fails the run
sh scripts/fuzz.sh -t 60 -j 2
echo "test: all tests passed, also under ASan, UBSan and (threads) TSan; the fuzz smoke found nothing"
