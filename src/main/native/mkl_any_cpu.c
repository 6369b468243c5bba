/*
 * Preloaded by bin/alvlm (LD_PRELOAD) in front of DJL's libtorch, which links Intel oneMKL in.
 * MKL picks its kernels by CPU features only after asking this function whether the CPU is an
 * Intel one; on other CPUs (this project's AMD EPYC build machines) it answers no and sgemm runs a
 * generic path: 2.4x slower than MKL's AVX-512 kernels on the same core (bench coop, README).
 * Answering yes lets MKL dispatch on the features the CPU reports (it still checks them).
 * Build: cc -O2 -shared -fPIC -o libmkl_any_cpu.so mkl_any_cpu.c. ALVLM_MKL_ANY_CPU=0 turns it off.
 */
int mkl_serv_intel_cpu_true(void) {
  return 1;
}
