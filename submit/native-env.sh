# Sourced by the launch scripts: native-library settings every JVM that computes needs.
#
# One BLAS/OpenMP thread per Spark task core: each task runs its own single-threaded training loop, and extra
# native threads only fight over the same cores (measured: 2 threads per process made the products 4x slower).
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-1}"
export OPENBLAS_NUM_THREADS="${OPENBLAS_NUM_THREADS:-1}"
# The bundled OpenBLAS 0.3.19 does not recognise recent CPUs and falls back to kernels for an old AMD family
# (about 3x slower on these shapes). Pick the kernel family from what the CPU supports, unless the user chose one.
if [ -z "${OPENBLAS_CORETYPE:-}" ] && [ -r /proc/cpuinfo ]; then
  if grep -qw avx512f /proc/cpuinfo && grep -qw avx512bw /proc/cpuinfo; then
    export OPENBLAS_CORETYPE=SkylakeX
  elif grep -qw avx2 /proc/cpuinfo; then
    export OPENBLAS_CORETYPE=Haswell
  fi
fi
