"""Choosing llama.cpp's build flags for the CPU it will run on, from /proc/cpuinfo.

The server is compiled on the machine that runs it, so each instruction set is switched on
exactly when this CPU has it. Nothing is left to ggml's defaults: with GGML_NATIVE off, ggml
turns SSE4.2, AVX, AVX2, BMI2, FMA and F16C on by itself, and a build with any of them dies
with an illegal instruction on a CPU without it. AMX is always off: its kernels crash
(ggml_backend_amx_mul_mat) on the Sapphire Rapids servers this was first run on.
"""

from __future__ import annotations

import platform
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

CPUINFO = Path("/proc/cpuinfo")

AVX512_NEEDS = frozenset({"avx512f", "avx512cd", "avx512vl", "avx512dq", "avx512bw"})
"""ggml's GGML_AVX512 compiles with -mavx512f -mavx512cd -mavx512vl -mavx512dq -mavx512bw:
a CPU with AVX-512F alone (Xeon Phi has no VL, DQ or BW) must not get it."""

X86_OPTIONS: tuple[tuple[str, frozenset[str], str | None], ...] = (
    # (ggml option, cpuinfo flags it needs, the option it builds on)
    ("GGML_SSE42", frozenset({"sse4_2"}), None),
    ("GGML_AVX", frozenset({"avx"}), "GGML_SSE42"),
    ("GGML_F16C", frozenset({"f16c"}), "GGML_AVX"),
    ("GGML_FMA", frozenset({"fma"}), "GGML_AVX"),
    ("GGML_BMI2", frozenset({"bmi2"}), None),
    # ggml's AVX2 kernels use FMA and F16C instructions beside AVX2's own
    ("GGML_AVX2", frozenset({"avx2", "fma", "f16c"}), "GGML_AVX"),
    ("GGML_AVX_VNNI", frozenset({"avx_vnni"}), "GGML_AVX2"),
    ("GGML_AVX512", AVX512_NEEDS, "GGML_AVX2"),
    ("GGML_AVX512_VBMI", frozenset({"avx512vbmi"}), "GGML_AVX512"),
    ("GGML_AVX512_VNNI", frozenset({"avx512_vnni"}), "GGML_AVX512"),
    ("GGML_AVX512_BF16", frozenset({"avx512_bf16"}), "GGML_AVX512"),
)
ALWAYS_OFF = ("GGML_AMX_TILE", "GGML_AMX_INT8", "GGML_AMX_BF16")

ARM_EXTENSIONS: tuple[tuple[str, str], ...] = (
    # (cpuinfo Features word, -march extension): the ones ggml has kernels for
    ("asimddp", "dotprod"),
    ("asimdhp", "fp16"),
    ("i8mm", "i8mm"),
    ("sve", "sve"),
)


@dataclass(frozen=True)
class BuildFlags:
    """The CMake options for one CPU, and the words to tell the user what was chosen."""

    options: dict[str, str]
    summary: str

    def cmake_args(self) -> str:
        return " ".join(f"-D{key}={value}" for key, value in self.options.items())


def cpu_flags(cpuinfo: str) -> frozenset[str]:
    """The instruction-set flags every processor listed has (x86 "flags", Arm "Features").

    The intersection, not the first processor's: on a hybrid CPU or an odd virtual machine the
    cores can differ, and the build must run on whichever core the scheduler picks.
    """
    found: list[frozenset[str]] = []
    for line in cpuinfo.splitlines():
        key, sep, value = line.partition(":")
        if sep and key.strip() in ("flags", "Features"):
            found.append(frozenset(value.split()))
    if not found:
        return frozenset()
    common = found[0]
    for flags in found[1:]:
        common &= flags
    return common


def choose(flags: Iterable[str], machine: str) -> BuildFlags:
    """The build options for a CPU with ``flags`` on architecture ``machine`` (uname -m)."""
    have = frozenset(flags)
    options = {"GGML_NATIVE": "OFF"}
    arch = machine.lower()
    if arch in ("x86_64", "amd64", "i386", "i686", "x86"):
        on: set[str] = set()
        for option, needs, base in X86_OPTIONS:
            if needs <= have and (base is None or base in on):
                on.add(option)
            options[option] = "ON" if option in on else "OFF"
        for option in ALWAYS_OFF:
            options[option] = "OFF"
        shown = [o.removeprefix("GGML_") for o, _, _ in X86_OPTIONS if o in on]
        summary = f"x86-64 with {', '.join(shown) if shown else 'no SIMD beyond SSE2'}; AMX off"
        return BuildFlags(options, summary)
    if arch in ("aarch64", "arm64") and have:
        # NEON is part of every AArch64 CPU; with GGML_NATIVE off ggml would build for plain
        # armv8-a and leave the dot-product kernels out even where the CPU has them.
        extensions = [ext for word, ext in ARM_EXTENSIONS if word in have]
        base = "armv8.2-a" if extensions else "armv8-a"
        options["GGML_CPU_ARM_ARCH"] = "+".join([base, *extensions])
        return BuildFlags(options, f"AArch64 ({options['GGML_CPU_ARM_ARCH']})")
    # Another architecture, or Arm with its features unknown (macOS has no /proc/cpuinfo, and
    # Apple's compiler targets its own CPUs by default): ggml's defaults; no x86 option applies.
    return BuildFlags(options, f"{machine or 'unknown CPU'} with ggml's portable defaults")


def this_machine(cpuinfo: Path = CPUINFO, machine: str | None = None) -> BuildFlags:
    """The build options for the CPU this runs on (no flags known: the most portable build)."""
    try:
        text = cpuinfo.read_text(encoding="utf-8", errors="replace")
    except OSError:
        text = ""
    return choose(cpu_flags(text), machine if machine is not None else platform.machine())
