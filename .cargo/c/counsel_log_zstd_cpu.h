/* Included before every C file of the build on x86_64 Linux (see ../config.toml): stands in for
 * zstd's lib/common/cpu.h, whose ZSTD_cpuid() runs `cpuid` each time zstd makes a compression
 * or decompression context. sled makes one for every page it writes or reads, and under a
 * hypervisor each `cpuid` traps to the host. This answers "no extended features", so zstd
 * takes the portable code paths it is built with anyway (DYNAMIC_BMI2=0). Defines nothing
 * outside zstd's names, and nothing in assembly sources. */
#if !defined(ZSTD_COMMON_CPU_H) && !defined(__ASSEMBLER__)
#define ZSTD_COMMON_CPU_H

typedef struct {
    unsigned f1c;
    unsigned f1d;
    unsigned f7b;
    unsigned f7c;
} ZSTD_cpuid_t;

static inline ZSTD_cpuid_t ZSTD_cpuid(void) {
    ZSTD_cpuid_t none = {0, 0, 0, 0};
    return none;
}

static inline int ZSTD_cpuid_bmi1(ZSTD_cpuid_t const cpuid) { return (cpuid.f7b >> 3) & 1; }
static inline int ZSTD_cpuid_bmi2(ZSTD_cpuid_t const cpuid) { return (cpuid.f7b >> 8) & 1; }

#endif
