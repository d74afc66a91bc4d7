#!/usr/bin/env bash
# run.sh — the GPU kit's script (built by `ops/gpu/kit build` from ops/gpu/run-on-gpu.sh).
# Runs on a machine with a GPU, torch in Python, g++ and no JDK or network:
#
#   OUT=/some/dir bash <kit>/run.sh            the measurements (ops/gpu/README.md), JSON and logs
#   OUT=/some/dir bash <kit>/run.sh --quick ARTIFACT IMAGES
#                                              compile, load and classify IMAGES with ARTIFACT only
#
# It finds torch (python -c 'import torch'), compiles DJL's JNI against it in parallel, points
# DJL at it (PYTORCH_LIBRARY_PATH, PYTORCH_VERSION, PYTORCH_FLAVOR, the CUDA libraries of the
# pip nvidia-* packages), prints and records what it found, then runs each measurement with its
# own time limit inside GLIMPSE_KIT_BUDGET_S (default 450 s from the start; the compile and the
# unpacking count against it too, nvidia-smi gets 20 s). It exits non-zero, after writing all it
# has under OUT, when a step failed, timed out or was skipped (steps.tsv and one summary line say which).
# Fails fast, saying what is missing, without g++, torch or a GPU; GLIMPSE_KIT_ALLOW_CPU=1 runs on
# the CPU instead (the kit's CPU test). Other settings: GLIMPSE_KIT_PYTHON (default the first of
# python3 and python that imports torch), GLIMPSE_KIT_WORK (where the JNI is built and the payload
# unpacked; default a temporary folder), GLIMPSE_KIT_STEPS (the measurements to run,
# comma-separated; default all of them, in the order below), GLIMPSE_KIT_BATCHES.
set -euo pipefail

KIT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
START=$SECONDS
BUDGET="${GLIMPSE_KIT_BUDGET_S:-450}"
PYTHON="${GLIMPSE_KIT_PYTHON:-}"
if [[ -z "$PYTHON" ]]; then # the first python on the PATH that has torch
  for candidate in python3 python; do
    if "$candidate" -c 'import torch' >/dev/null 2>&1; then
      PYTHON="$candidate"
      break
    fi
  done
  PYTHON="${PYTHON:-python3}"
fi
ALLOW_CPU="${GLIMPSE_KIT_ALLOW_CPU:-0}"

die() {
  echo "glimpse kit: $*" >&2
  exit 1
}

say() {
  echo "glimpse kit: $*"
}

remaining() {
  echo $((BUDGET - (SECONDS - START)))
}

# within_budget WHAT COMMAND...: runs COMMAND for at most what the budget has left (at least 1 s);
# dies saying WHAT took too long when it runs out.
within_budget() {
  local what="$1" limit status=0
  shift
  limit=$(remaining)
  ((limit >= 1)) || limit=1
  timeout --kill-after=10 "$limit" "$@" || status=$?
  if ((status == 124 || status == 137)); then
    die "$what did not finish in the $limit s the budget had left (GLIMPSE_KIT_BUDGET_S=$BUDGET):" \
      "nothing was measured"
  fi
  return "$status"
}

# nvidia-smi hangs on a wedged GPU: at most 20 s.
NVIDIA_SMI_S=20

[[ -n "${OUT:-}" ]] || die "set OUT to the folder for results (JSON and logs)"
mkdir -p "$OUT/logs"
OUT="$(cd "$OUT" && pwd)"
exec > >(tee -a "$OUT/logs/run.log") 2>&1

mode=full
if [[ "${1:-}" == --quick ]]; then
  [[ $# -eq 3 ]] || die "usage: run.sh --quick ARTIFACT IMAGES"
  mode=quick
  ARTIFACT="$(readlink -f "$2")"
  IMAGES="$(readlink -f "$3")"
elif [[ $# -gt 0 ]]; then
  die "usage: run.sh [--quick ARTIFACT IMAGES]"
fi

# --- What is here -----------------------------------------------------------------------------
command -v "$PYTHON" >/dev/null || die "no $PYTHON: the kit runs against torch in Python" \
  "(set GLIMPSE_KIT_PYTHON to the python that has torch)"
CXX="${CXX:-g++}"
command -v "$CXX" >/dev/null || die "no C++ compiler ($CXX): the kit compiles DJL's JNI against" \
  "the torch here. Install g++ (e.g. apt-get install g++), or use the CUDA image (runtime-gpu)" \
  "instead of the kit"

"$PYTHON" - "$OUT/environment.json" <<'EOF' || die "$PYTHON cannot import torch: install PyTorch (pip install torch) or set GLIMPSE_KIT_PYTHON"
import glob, json, os, platform, re, sys
import torch
from torch.utils import cpp_extension
root = os.path.dirname(torch.__file__)
site = os.path.dirname(root)
nvidia_libs = sorted({os.path.dirname(p) for p in glob.glob(os.path.join(site, "nvidia", "**", "lib*.so*"), recursive=True)})
cuda_includes = sorted({os.path.dirname(p) for p in glob.glob(os.path.join(site, "nvidia", "**", "cuda_runtime_api.h"), recursive=True)})
for home in [os.environ.get("CUDA_HOME", ""), "/usr/local/cuda"]:
    if home and os.path.exists(os.path.join(home, "include", "cuda_runtime_api.h")):
        cuda_includes.append(os.path.join(home, "include"))
# ATen/cuda headers also include cublas, cusparse and friends: every nvidia/*/include folder.
if cuda_includes:
    cuda_includes += sorted({os.path.dirname(p) for p in glob.glob(os.path.join(site, "nvidia", "**", "include", "*.h"), recursive=True)} - set(cuda_includes))
cudart = sorted(glob.glob(os.path.join(site, "nvidia", "**", "libcudart.so*"), recursive=True))
cudart += sorted(glob.glob("/usr/local/cuda/lib64/libcudart.so*"))
cuda = torch.cuda.is_available()
facts = {
    "python": sys.executable,
    "python_version": platform.python_version(),
    "torch": torch.__version__,
    "torch_version": re.match(r"[0-9]+(\.[0-9]+)*", torch.__version__).group(0),
    "torch_cuda": torch.version.cuda,
    "torch_dir": root,
    "torch_include": cpp_extension.include_paths()[0],
    "torch_lib": os.path.join(root, "lib"),
    "cxx11_abi": int(bool(torch._C._GLIBCXX_USE_CXX11_ABI)),
    "cuda_available": cuda,
    "gpu": torch.cuda.get_device_name(0) if cuda else None,
    "gpu_count": torch.cuda.device_count() if cuda else 0,
    "cudnn": torch.backends.cudnn.version() if cuda else None,
    "nvidia_lib_dirs": nvidia_libs,
    "cuda_include_dirs": cuda_includes,
    "cudart": cudart[0] if cudart else None,
    "cpus": os.cpu_count(),
    "machine": platform.platform(),
}
with open(sys.argv[1], "w") as f:
    json.dump(facts, f, indent=1)
EOF

fact() {
  "$PYTHON" -c 'import json, sys
v = json.load(open(sys.argv[1]))[sys.argv[2]]
print(":".join(v) if isinstance(v, list) else ("" if v is None else v))' "$OUT/environment.json" "$1"
}

TORCH_VERSION="$(fact torch_version)"
TORCH_CUDA="$(fact torch_cuda)"
{
  say "torch $(fact torch) (CUDA ${TORCH_CUDA:-none}) at $(fact torch_dir), python $(fact python_version)"
  say "compiler: $("$CXX" --version | head -1)"
  say "CPUs: $(nproc); $(ldd --version 2>&1 | head -1)"
  if command -v nvidia-smi >/dev/null; then
    timeout --kill-after=5 "$NVIDIA_SMI_S" nvidia-smi \
      --query-gpu=name,driver_version,memory.total,compute_cap --format=csv,noheader |
      sed 's/^/glimpse kit: GPU: /' || say "GPU: nvidia-smi failed (see logs/nvidia-smi.txt)"
  else
    say "GPU: no nvidia-smi"
  fi
  say "torch sees a GPU: $(fact cuda_available) ($(fact gpu))"
} | tee "$OUT/environment.txt"
if command -v nvidia-smi >/dev/null; then
  timeout --kill-after=5 "$NVIDIA_SMI_S" nvidia-smi >"$OUT/logs/nvidia-smi.txt" 2>&1 ||
    say "nvidia-smi failed or took more than $NVIDIA_SMI_S s (see logs/nvidia-smi.txt)"
fi

if [[ "$(fact cuda_available)" != True ]]; then
  if [[ "$ALLOW_CPU" != 1 ]]; then
    die "torch sees no GPU (torch.cuda.is_available() is False; CUDA ${TORCH_CUDA:-none}):" \
      "check the driver with nvidia-smi and that torch is a CUDA build. To run on the CPU" \
      "anyway, set GLIMPSE_KIT_ALLOW_CPU=1"
  fi
  say "no GPU: running on the CPU (GLIMPSE_KIT_ALLOW_CPU=1)"
  GPU=0
else
  GPU=1
fi

# --- DJL's JNI, compiled against this torch -----------------------------------------------------
WORK="${GLIMPSE_KIT_WORK:-$(mktemp -d "${TMPDIR:-/tmp}/glimpse-kit.XXXXXX")}"
mkdir -p "$WORK"
say "compiling DJL's JNI in $WORK/jni ..."
TORCH_INCLUDE="$(fact torch_include)" TORCH_LIB="$(fact torch_lib)" TORCH_VERSION="$TORCH_VERSION" \
  TORCH_CXX11_ABI="$(fact cxx11_abi)" TORCH_CUDA="$([[ -n "$TORCH_CUDA" ]] && echo 1 || echo 0)" \
  CUDA_INCLUDE="$(fact cuda_include_dirs)" CXX="$CXX" JOBS="$(nproc)" \
  within_budget "compiling DJL's JNI" bash "$KIT/compile-jni.sh" "$KIT/jni" "$WORK/jni" ||
  die "could not build DJL's JNI against torch $TORCH_VERSION (see $OUT/logs/run.log)"
cp "$WORK/jni/build.log" "$OUT/logs/compile-jni.log"

# DJL loads every library in PYTORCH_LIBRARY_PATH's folder and libdjl_torch.so from it: a folder
# of links to torch's libraries and the JNI. torch's own links to the nvidia-* packages
# ($ORIGIN/../../nvidia/...) do not hold from there, so LD_LIBRARY_PATH names those folders.
TORCH_LINKS="$WORK/torch-lib"
rm -rf "$TORCH_LINKS"
mkdir -p "$TORCH_LINKS"
ln -s "$(fact torch_lib)"/* "$TORCH_LINKS/"
ln -sf "$WORK/jni/libdjl_torch.so" "$TORCH_LINKS/libdjl_torch.so"
export PYTORCH_LIBRARY_PATH="$TORCH_LINKS"
export PYTORCH_VERSION="$TORCH_VERSION"
if [[ -n "$TORCH_CUDA" ]]; then
  export PYTORCH_FLAVOR="cu${TORCH_CUDA//./}"
else
  export PYTORCH_FLAVOR=cpu
fi
LIBRARY_DIRS="$(fact torch_lib)"
if [[ -n "$(fact nvidia_lib_dirs)" ]]; then
  LIBRARY_DIRS+=":$(fact nvidia_lib_dirs)"
fi
export LD_LIBRARY_PATH="$LIBRARY_DIRS${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
# DJL counts GPUs through JNA's "cudart", which wants an unversioned libcudart.so.
JNA_DIR="$WORK/jna"
mkdir -p "$JNA_DIR"
if [[ -n "$(fact cudart)" ]]; then
  ln -sf "$(fact cudart)" "$JNA_DIR/libcudart.so"
fi
export OPT_OUT_TRACKING=true
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"
export DJL_CACHE_DIR="$WORK/djl-cache"
TCMALLOC=/usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4
if [[ -f "$TCMALLOC" ]]; then
  export LD_PRELOAD="$TCMALLOC${LD_PRELOAD:+:$LD_PRELOAD}"
fi
{
  echo "PYTORCH_LIBRARY_PATH=$PYTORCH_LIBRARY_PATH"
  echo "PYTORCH_VERSION=$PYTORCH_VERSION"
  echo "PYTORCH_FLAVOR=$PYTORCH_FLAVOR"
  echo "LD_LIBRARY_PATH=$LD_LIBRARY_PATH"
  echo "LD_PRELOAD=${LD_PRELOAD:-}"
} | tee "$OUT/djl-environment.txt"

# The Java runtime and jars: packed in payload.tar.xz (unpacked by Python: no xz needed here), or
# folders in a kit built with --no-pack.
PAYLOAD="$KIT"
if [[ -f "$KIT/payload.tar.xz" ]]; then
  PAYLOAD="$WORK/payload"
  if [[ ! -d "$PAYLOAD/lib" ]]; then
    say "unpacking the Java runtime and jars into $PAYLOAD ..."
    within_budget "unpacking $KIT/payload.tar.xz" "$PYTHON" -c 'import sys, tarfile
trusted = {"filter": "fully_trusted"} if hasattr(tarfile, "fully_trusted_filter") else {}
tarfile.open(sys.argv[1]).extractall(sys.argv[2], **trusted)' \
      "$KIT/payload.tar.xz" "$PAYLOAD" || die "could not unpack $KIT/payload.tar.xz"
  fi
fi
JAVA="$PAYLOAD/jre/bin/java"
java_cmd=("$JAVA" --enable-native-access=ALL-UNNAMED) # JNA and DJL load native code (Java 22+ warns)
if [[ ! -x "$JAVA" ]]; then
  JAVA="$(command -v java)" || die "the kit has no jre/ and no java is on the PATH: rebuild it" \
    "without --no-jre"
  java_cmd=("$JAVA")
fi
say "java: $("$JAVA" -version 2>&1 | head -1) ($JAVA)"
# GLIMPSE_JAVA_OPTS is split into words on purpose: it holds several JVM options.
# shellcheck disable=SC2206
java_cmd+=(${GLIMPSE_JAVA_OPTS:-} -Dai.djl.offline=true -Djna.library.path="$JNA_DIR"
  -cp "$PAYLOAD/lib/*")

STEPS_FILE="$OUT/steps.tsv"
printf 'step\tstatus\tseconds\tlimit_s\n' >"$STEPS_FILE"

# step NAME LIMIT_S COMMAND...: runs COMMAND for at most LIMIT_S (or what the budget has left),
# its stdout to OUT/NAME.json and both streams to OUT/logs/NAME.log; a failure is recorded, and
# the next step runs.
step() {
  local name="$1" limit="$2" left status begin
  shift 2
  left=$(($(remaining) - 5))
  if ((left < 20)); then
    say "$name: skipped, the budget (${BUDGET} s) is spent"
    printf '%s\tskipped\t0\t0\n' "$name" >>"$STEPS_FILE"
    return 0
  fi
  ((limit <= left)) || limit=$left
  say "$name (at most $limit s) ..."
  begin=$SECONDS
  status=0
  timeout --kill-after=10 "$limit" "$@" >"$OUT/$name.json" 2> >(tee "$OUT/logs/$name.log" |
    grep --line-buffered -v 'Could not initialize NNPACK' >&2) || status=$?
  local outcome=ok
  if ((status == 124 || status == 137)); then
    outcome=timeout
  elif ((status != 0)); then
    outcome="failed($status)"
  fi
  printf '%s\t%s\t%s\t%s\n' "$name" "$outcome" $((SECONDS - begin)) "$limit" >>"$STEPS_FILE"
  say "$name: $outcome in $((SECONDS - begin)) s"
  [[ -s "$OUT/$name.json" ]] || rm -f "$OUT/$name.json"
}

# finish WHAT: prints steps.tsv and one line naming each step's outcome; dies when a step failed,
# timed out or was skipped (all results are under OUT by then), and exits 0 otherwise.
finish() {
  local summary
  cat "$STEPS_FILE"
  summary="$(awk -F'\t' 'NR > 1 { printf "%s%s %s", sep, $1, $2; sep = ", " }' "$STEPS_FILE")"
  say "steps: ${summary:-none}"
  ! grep -q -P '\t(failed|timeout|skipped)' "$STEPS_FILE" ||
    die "$1 failed: a step failed, timed out or was skipped (see $STEPS_FILE and $OUT/logs)"
  say "done in $((SECONDS - START)) s (budget $BUDGET s): $OUT"
  exit 0
}

# The commands the steps run, as scripts (timeout runs programs, not shell functions).
BIN="$WORK/bin"
mkdir -p "$BIN"
java_script() { # java_script NAME MAIN_CLASS
  {
    echo '#!/usr/bin/env bash'
    printf 'exec'
    printf ' %q' "${java_cmd[@]}" "$2"
    echo ' "$@"'
  } >"$BIN/$1"
  chmod +x "$BIN/$1"
}
java_script glimpse io.glimpse.ops.cli.GlimpseCli
java_script probe io.glimpse.gpukit.KitProbe
# with-gpu-samples CSV COMMAND...: GPU utilisation and memory twice a second while COMMAND runs.
cat >"$BIN/with-gpu-samples" <<'SCRIPT'
#!/usr/bin/env bash
csv="$1"
shift
sampler=""
if command -v nvidia-smi >/dev/null; then
  nvidia-smi --query-gpu=timestamp,utilization.gpu,memory.used --format=csv -lms 500 >"$csv" 2>&1 &
  sampler=$!
fi
status=0
"$@" || status=$?
if [[ -n "$sampler" ]]; then
  kill "$sampler" 2>/dev/null
  wait "$sampler" 2>/dev/null
fi
exit "$status"
SCRIPT
chmod +x "$BIN/with-gpu-samples"
glimpse="$BIN/glimpse"
probe="$BIN/probe"
sampler="$BIN/with-gpu-samples"

if [[ "$mode" == quick ]]; then
  BUDGET=$((SECONDS - START + 400)) # the budget is for the measurements; a slow compile here is fine
  step quick-cpu 180 "$probe" classify "$ARTIFACT" "$IMAGES" cpu -
  if ((GPU)); then
    step quick-gpu 180 "$probe" classify "$ARTIFACT" "$IMAGES" gpu -
  fi
  finish "the quick check"
fi

# --- The measurements -----------------------------------------------------------------------
BATCHES="${GLIMPSE_KIT_BATCHES:-1,8,32,128,256}"
SAMPLE="$WORK/sample"
ALL_STEPS=sanity,engine-gpu,torch-gpu,pipeline-gpu,reloads-gpu,reload-gpu,engine-cpu,torch-cpu,pipeline-cpu
STEPS=",${GLIMPSE_KIT_STEPS:-$ALL_STEPS},"
wanted() {
  [[ "$STEPS" == *",$1,"* ]]
}

pipeline_args=(bench pipeline --content photo --width 1.0 --input-size 224 --images 2000
  --load-seconds 8 --warm-up-runs 1 --bad-fraction 0 --no-peer --json)

if wanted sanity; then
  # The same untrained model and images, classified on the CPU and on the device, through the
  # JNI built above; torch_gpu_bench.py compare says whether top-1s and probabilities agree.
  rm -rf "$SAMPLE"
  step sample 120 "$probe" sample "$SAMPLE" 1.0 224
  step sanity-cpu 120 "$probe" classify "$SAMPLE/model" "$SAMPLE/images" cpu -
  if ((GPU)); then
    step sanity-gpu 120 "$probe" classify "$SAMPLE/model" "$SAMPLE/images" gpu -
    step sanity 30 "$PYTHON" "$KIT/py/torch_gpu_bench.py" compare "$OUT/sanity-cpu.json" \
      "$OUT/sanity-gpu.json" 1e-3
  fi
fi
if ((GPU)) && wanted engine-gpu; then
  step engine-gpu 120 "$glimpse" bench engine --device gpu --models 1.0:3x224x224 \
    --batches "$BATCHES" --rounds 3 --seconds 0.3 --json
fi
if ((GPU)) && wanted torch-gpu; then
  step torch-gpu 150 "$PYTHON" "$KIT/py/torch_gpu_bench.py" measure --device cuda \
    --batches "$BATCHES" --dtypes fp32,fp16,bf16 --seconds 0.3 --budget 120
fi
if ((GPU)) && wanted pipeline-gpu; then
  step pipeline-gpu 150 "$sampler" "$OUT/logs/pipeline-gpu.csv" "$glimpse" "${pipeline_args[@]}"
fi
if ((GPU)) && wanted reloads-gpu; then
  [[ -d "$SAMPLE/model" ]] || rm -rf "$SAMPLE"
  [[ -d "$SAMPLE/model" ]] || step sample 120 "$probe" sample "$SAMPLE" 1.0 224
  step reloads-gpu 90 "$probe" reloads "$SAMPLE/model" gpu 20 -
fi
if ((GPU)) && wanted reload-gpu; then
  step reload-gpu 90 "$sampler" "$OUT/logs/reload-gpu.csv" "$glimpse" bench reload --width 1.0 \
    --input-size 224 --json
fi
# The same measurements on this machine's CPUs: CUDA hidden, so device auto is the CPU.
if wanted engine-cpu; then
  step engine-cpu 90 env CUDA_VISIBLE_DEVICES= "$glimpse" bench engine --device cpu --models 1.0:3x224x224 --batches 1,32 --rounds 3 --seconds 0.3 --json
fi
if wanted torch-cpu; then
  step torch-cpu 90 env CUDA_VISIBLE_DEVICES= "$PYTHON" "$KIT/py/torch_gpu_bench.py" measure \
    --device cpu --batches 1,32 --dtypes fp32 --seconds 0.3 --budget 60
fi
if wanted pipeline-cpu; then
  step pipeline-cpu 150 env CUDA_VISIBLE_DEVICES= "$glimpse" "${pipeline_args[@]}"
fi

finish "the run"
