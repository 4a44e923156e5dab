"""llama.cpp's build flags chosen from recorded /proc/cpuinfo files of real kinds of CPU."""

from __future__ import annotations

import platform
from pathlib import Path

import pytest

from summariser.model import local as local_model
from summariser.model.cpu import choose, cpu_flags, this_machine

CPUINFO = Path(__file__).resolve().parent / "data" / "cpuinfo"
X86_ALL = {
    "SSE42", "AVX", "F16C", "FMA", "BMI2", "AVX2", "AVX_VNNI",
    "AVX512", "AVX512_VBMI", "AVX512_VNNI", "AVX512_BF16",
}  # fmt: skip
AVX512_FULL = {"AVX512", "AVX512_VBMI", "AVX512_VNNI", "AVX512_BF16"}
HASWELL = {"SSE42", "AVX", "F16C", "FMA", "BMI2", "AVX2"}


def options(name: str, machine: str = "x86_64") -> dict[str, str]:
    text = (CPUINFO / name).read_text(encoding="utf-8")
    return choose(cpu_flags(text), machine).options


def on(opts: dict[str, str]) -> set[str]:
    return {k.removeprefix("GGML_") for k, v in opts.items() if v == "ON"}


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        # Sapphire Rapids: every AVX-512 subset and AVX-VNNI, and AMX, which stays off
        ("sapphire-rapids-xeon-8480.txt", HASWELL | {"AVX_VNNI"} | AVX512_FULL),
        # AVX2, no AVX-512: the build must not use a single EVEX instruction
        ("haswell-desktop-i7-4770.txt", HASWELL),
        # SSE4.2 and nothing newer: ggml's own defaults would put AVX/AVX2/FMA/F16C/BMI2 in
        ("nehalem-xeon-x5570-sse4.txt", {"SSE42"}),
        # Zen 4: AVX-512 with VBMI, VNNI and BF16, but no AVX-VNNI (the VEX form)
        ("zen4-ryzen-7950x.txt", HASWELL | AVX512_FULL),
        # Xeon Phi: AVX-512F and CD without VL, DQ and BW, which ggml's AVX512 compiles with
        ("knights-landing-xeon-phi-7250.txt", HASWELL),
        # the machine these tests were written on (an AMD EPYC virtual machine, Zen 4 flags)
        ("this-machine-epyc-vm.txt", HASWELL | AVX512_FULL),
    ],
)
def test_x86_flags_follow_the_cpu(name: str, expected: set[str]) -> None:
    opts = options(name)
    assert on(opts) == expected
    # every instruction set is spelled out: with GGML_NATIVE off ggml would turn AVX2 and
    # friends on by default
    assert {k.removeprefix("GGML_") for k in opts} >= X86_ALL
    assert opts["GGML_NATIVE"] == "OFF"
    assert opts["GGML_AMX_TILE"] == opts["GGML_AMX_INT8"] == opts["GGML_AMX_BF16"] == "OFF"


def test_amx_is_off_even_where_the_cpu_has_it() -> None:
    text = (CPUINFO / "sapphire-rapids-xeon-8480.txt").read_text(encoding="utf-8")
    assert {"amx_tile", "amx_int8", "amx_bf16"} <= cpu_flags(text)
    args = choose(cpu_flags(text), "x86_64").cmake_args().split()
    assert "-DGGML_AMX_TILE=OFF" in args and "-DGGML_AVX512=ON" in args
    assert not any(a.startswith("-DGGML_AMX") and a.endswith("=ON") for a in args)


def test_a_flag_missing_on_one_core_is_not_used() -> None:
    """Hybrid CPUs and odd virtual machines can list different flags per core."""
    haswell = (CPUINFO / "haswell-desktop-i7-4770.txt").read_text(encoding="utf-8")
    zen4 = (CPUINFO / "zen4-ryzen-7950x.txt").read_text(encoding="utf-8")
    mixed = choose(cpu_flags(zen4 + "\n" + haswell), "x86_64").options
    assert mixed["GGML_AVX512"] == "OFF" and mixed["GGML_AVX2"] == "ON"


def test_avx2_needs_fma_and_f16c() -> None:
    opts = choose({"sse4_2", "avx", "avx2", "bmi2"}, "x86_64").options
    assert opts["GGML_AVX2"] == "OFF" and opts["GGML_AVX"] == "ON"
    # AVX-512 builds on AVX2: a CPU claiming it without FMA gets neither
    no_fma = {"sse4_2", "avx", "avx2", "f16c", "avx512f", "avx512cd", "avx512vl"}
    assert choose(no_fma | {"avx512dq", "avx512bw"}, "x86_64").options["GGML_AVX512"] == "OFF"


def test_no_flags_at_all_gives_the_most_portable_x86_build() -> None:
    assert on(choose(set(), "x86_64").options) == set()


@pytest.mark.parametrize(
    ("name", "arch"),
    [
        ("graviton3-neoverse-v1.txt", "armv8.2-a+dotprod+fp16+i8mm+sve"),
        ("raspberry-pi4-cortex-a72.txt", "armv8-a"),
    ],
)
def test_arm_gets_its_extensions_and_no_x86_options(name: str, arch: str) -> None:
    opts = options(name, "aarch64")
    assert opts == {"GGML_NATIVE": "OFF", "GGML_CPU_ARM_ARCH": arch}


def test_another_architecture_gets_portable_defaults() -> None:
    assert choose({"fpu", "vsx"}, "ppc64le").options == {"GGML_NATIVE": "OFF"}
    # an Arm machine without /proc/cpuinfo (a Mac): the compiler's own target, not armv8-a
    assert choose(set(), "arm64").options == {"GGML_NATIVE": "OFF"}


def test_unreadable_cpuinfo_is_the_portable_build(tmp_path: Path) -> None:
    flags = this_machine(tmp_path / "missing", "x86_64")
    assert on(flags.options) == set() and "no SIMD" in flags.summary


def test_install_builds_with_this_cpus_flags(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """`models install` hands pip the chosen flags, from scratch (no cached wheel)."""
    calls: list[tuple[list[str], dict[str, str] | None]] = []
    monkeypatch.setenv("SUMMARISER_HOME", str(tmp_path))
    monkeypatch.setattr(local_model, "server_installed", lambda: False)
    monkeypatch.setattr(local_model, "model_installed", lambda: True)
    monkeypatch.setattr(local_model, "_pip", lambda args, env=None: calls.append((args, env)))
    text = (CPUINFO / "haswell-desktop-i7-4770.txt").read_text(encoding="utf-8")
    monkeypatch.setattr(local_model, "this_machine", lambda: choose(cpu_flags(text), "x86_64"))
    said: list[str] = []
    local_model.install(log=said.append)
    (args, env), *_ = calls
    assert "--no-cache-dir" in args and env is not None and env["FORCE_CMAKE"] == "1"
    cmake = env["CMAKE_ARGS"].split()
    assert "-DGGML_AVX2=ON" in cmake and "-DGGML_AVX512=OFF" in cmake
    assert "-DGGML_AMX_INT8=OFF" in cmake and "-DGGML_NATIVE=OFF" in cmake
    assert any("AVX2" in line and "AMX off" in line for line in said)


def test_this_machine_reads_proc_cpuinfo() -> None:
    if platform.machine() != "x86_64" or not Path("/proc/cpuinfo").is_file():
        pytest.skip("not a Linux x86-64 machine")
    real = Path("/proc/cpuinfo").read_text(encoding="utf-8")
    opts = this_machine().options
    assert (opts["GGML_AVX512"] == "ON") <= ("avx512f" in real)
    assert (opts["GGML_AVX2"] == "ON") == (" avx2 " in real and " fma " in real)
    assert opts["GGML_AMX_TILE"] == "OFF"
