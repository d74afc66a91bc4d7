#!/usr/bin/env bash
# compile-jni.sh — compiles DJL's PyTorch JNI (libdjl_torch.so, DJL 0.36.0) against an installed
# torch, one g++ per source file in parallel, then links it.
#
# Usage: compile-jni.sh JNI_DIR BUILD_DIR
#   JNI_DIR   the kit's jni/ folder: src/*.cc and include/ (djl/utils.h, the javac -h header,
#             jni.h and jni_md.h)
#   BUILD_DIR where the objects, build.log and libdjl_torch.so go
# Environment (set by run.sh from `python -c 'import torch'`):
#   TORCH_INCLUDE   torch's include dir; TORCH_LIB its lib dir; TORCH_VERSION e.g. 2.11.0 or 1.13.0
#   TORCH_CXX11_ABI 0 or 1 (torch._C._GLIBCXX_USE_CXX11_ABI)
#   TORCH_CUDA      1 when torch was built with CUDA; CUDA_INCLUDE the CUDA headers, when found
#   CXX (g++), JOBS (nproc), GLIMPSE_KIT_CXX_STD (c++17 or c++20; default: chosen below)
# Prints one line per decision; compiler errors go to BUILD_DIR/build.log and their tail to stderr.
set -euo pipefail

die() {
  echo "compile-jni: $*" >&2
  exit 1
}

[[ $# -eq 2 ]] || die "usage: compile-jni.sh JNI_DIR BUILD_DIR"
JNI_DIR="$(cd "$1" && pwd)"
BUILD="$2"
mkdir -p "$BUILD/obj"
BUILD="$(cd "$BUILD" && pwd)"
: "${TORCH_INCLUDE:?set TORCH_INCLUDE to torch's include dir}"
: "${TORCH_LIB:?set TORCH_LIB to torch's lib dir}"
: "${TORCH_VERSION:?set TORCH_VERSION, e.g. 2.11.0}"
CXX="${CXX:-g++}"
JOBS="${JOBS:-$(nproc)}"
LOG="$BUILD/build.log"
: >"$LOG"

version_at_least() { # version_at_least 2.10 2.11.0 -> true
  [[ "$(printf '%s\n%s\n' "$1" "$2" | sort -V | head -1)" == "$1" ]]
}

# DJL's sources take c10::variant before torch 2.2 (its build.sh sets V1_13_X for 1.13-2.1).
defines=()
if ! version_at_least 2.2 "$TORCH_VERSION"; then
  defines+=(-DV1_13_X)
fi

# torch 2.10 and later headers want C++20 where the compiler has it; DJL's sources build either way.
std="${GLIMPSE_KIT_CXX_STD:-}"
if [[ -z "$std" ]]; then
  std=c++17
  if version_at_least 2.10 "$TORCH_VERSION" && echo 'int main(){}' |
    "$CXX" -std=c++20 -x c++ -fsyntax-only - 2>/dev/null; then
    std=c++20
  fi
fi

cuda_defines=()
cuda_includes=()
cuda_libs=()
if [[ "${TORCH_CUDA:-0}" == 1 ]]; then
  cuda_libs=(-ltorch_cuda -lc10_cuda)
  if [[ -n "${CUDA_INCLUDE:-}" ]]; then
    cuda_defines=(-DUSE_CUDA)
    for dir in ${CUDA_INCLUDE//:/ }; do
      cuda_includes+=(-isystem "$dir")
    done
  else
    echo "compile-jni: no CUDA headers found (cuda_runtime_api.h): building without USE_CUDA;" \
      "DJL then runs on the GPU all the same but has no separate inference stream or emptyCache"
  fi
fi

includes=(-I"$JNI_DIR/include" -I"$JNI_DIR/src" -isystem "$TORCH_INCLUDE"
  -isystem "$TORCH_INCLUDE/torch/csrc/api/include")
flags=(-std="$std" -O2 -fPIC -w -D_GLIBCXX_USE_CXX11_ABI="${TORCH_CXX11_ABI:-1}" "${defines[@]}")
echo "compile-jni: $("$CXX" --version | head -1); -std=$std, torch $TORCH_VERSION," \
  "CXX11 ABI ${TORCH_CXX11_ABI:-1}${defines[*]:+, ${defines[*]}}${cuda_defines[*]:+, ${cuda_defines[*]}};" \
  "$JOBS parallel jobs"

# One source file: with USE_CUDA when asked, and without it if that fails (only system.cc and
# inference.cc use it); the object lands in obj/, the compiler's messages in obj/NAME.log.
compile_one() {
  local source="$1" name object
  name="$(basename "$source" .cc)"
  object="$BUILD/obj/$name.o"
  if "$CXX" "${flags[@]}" "${cuda_defines[@]}" "${includes[@]}" "${cuda_includes[@]}" \
    -c "$source" -o "$object" >"$BUILD/obj/$name.log" 2>&1; then
    return 0
  fi
  if [[ ${#cuda_defines[@]} -gt 0 ]] && "$CXX" "${flags[@]}" "${includes[@]}" \
    -c "$source" -o "$object" >>"$BUILD/obj/$name.log" 2>&1; then
    echo "compile-jni: $name.cc built without USE_CUDA (with it, it failed: see $BUILD/obj/$name.log)"
    return 0
  fi
  echo "compile-jni: $name.cc failed" >&2
  return 1
}

# A build of the same sources with the same flags is kept (GLIMPSE_KIT_WORK reused).
stamp="$("$CXX" --version | head -1) ${flags[*]} ${cuda_defines[*]} ${cuda_includes[*]} $TORCH_INCLUDE"
stamp+=" $(cat "$JNI_DIR"/src/* "$JNI_DIR"/include/*.h | md5sum | cut -d' ' -f1)"
if [[ -f "$BUILD/libdjl_torch.so" && "$(cat "$BUILD/stamp" 2>/dev/null)" == "$stamp" ]]; then
  echo "compile-jni: $BUILD/libdjl_torch.so is up to date"
  exit 0
fi
rm -f "$BUILD/libdjl_torch.so" "$BUILD/stamp" "$BUILD"/obj/*

start=$SECONDS
failed=0
running=0
for source in "$JNI_DIR"/src/*.cc; do
  compile_one "$source" &
  running=$((running + 1))
  if ((running >= JOBS)); then
    wait -n || failed=1
    running=$((running - 1))
  fi
done
while ((running > 0)); do
  wait -n || failed=1
  running=$((running - 1))
done
cat "$BUILD"/obj/*.log >>"$LOG"
if ((failed)); then
  tail -40 "$LOG" >&2
  die "the JNI did not compile against torch $TORCH_VERSION (full log: $LOG)"
fi

"$CXX" -shared -o "$BUILD/libdjl_torch.so" "$BUILD"/obj/*.o -L"$TORCH_LIB" \
  -Wl,--no-as-needed "${cuda_libs[@]}" -ltorch -ltorch_cpu -lc10 -Wl,--as-needed \
  -Wl,-rpath,"$TORCH_LIB" >>"$LOG" 2>&1 || {
  tail -40 "$LOG" >&2
  die "linking libdjl_torch.so failed (full log: $LOG)"
}
echo "$stamp" >"$BUILD/stamp"
echo "compile-jni: built $BUILD/libdjl_torch.so in $((SECONDS - start)) s"
