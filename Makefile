# Thin front door to the CMake build. Every target that builds first runs
# tests/setup-deps.sh, which installs missing Debian packages (as root) or
# says how to. Build dirs: build/ (plain), build-asan/ (ASan+UBSan),
# build-bench/ (Release, for make bench).
#
#   make test     both builds, -Werror, full ctest suite in each (+ valgrind)
#   make demo     the demo programs and viewcheck's findings on them
#   make bench    libnd vs NumPy on the same operations, one table
#   make install  install libnd (PREFIX=/usr/local): nd.h, libnd, nd.pc,
#                 CMake package nd::nd
#   make clean    remove the build dirs
PREFIX ?= /usr/local
JOBS ?= 2
export JOBS
MAKEFLAGS += --no-print-directory

.PHONY: all build test demo bench install clean

all: build

build:
	sh tests/setup-deps.sh
	cmake -S . -B build -DND_SANITIZE=OFF
	cmake --build build -j$(JOBS)

test:
	sh tests/setup-deps.sh valgrind
	bash tests/run-tests.sh

demo:
	sh tests/setup-deps.sh
	cmake -S . -B build -DND_SANITIZE=OFF
	cmake --build build -j$(JOBS) --target demos
	bash tests/demo.sh build

# Benchmarks measure an optimised build of their own (Release: -O3), not the
# RelWithDebInfo build the tests use.
bench:
	sh tests/setup-deps.sh time
	cmake -S . -B build-bench -DND_SANITIZE=OFF -DCMAKE_BUILD_TYPE=Release
	cmake --build build-bench -j$(JOBS) --target benchmarks
	bash tests/bench/run.sh build-bench

install: build
	cmake --install build --prefix $(PREFIX)

clean:
	rm -rf build build-asan build-bench
