"""Scale: seconds and peak memory of run, memo and export over N synthetic distinct reports.

    .venv/bin/python bench/bench_scale.py --count 1000
    .venv/bin/python bench/bench_scale.py --count 10000 --keep /tmp/scale   # the national run

Writes COUNT distinct reports into a temporary folder: issuers of every level and kind
(province, city and county governments, their 司法厅/局 and other departments), years
2019-2025, figures drawn at random, parts present or missing, one to eight items per part of
one to twelve sentences, a few cut off mid-sentence. Then, each command in its own process, timed
from outside, its peak resident memory read from ``getrusage(RUSAGE_CHILDREN)`` by a fresh
wrapper process (so each figure is that one command's):

1. ``summariser run --engine rules`` (no model);
2. ``summariser run --jobs J`` against a loopback fake OpenAI-compatible server answering every
   request after LATENCY seconds (``tests/fakeserver.py``; nothing leaves the machine);
3. ``summariser batch prepare``, then ``batch collect`` round after round, the requests
   answered by the tests' fake engine (``tests/fakebatch.py``), to the outputs;
4. ``summariser memo`` over the rules run, Markdown;
5. ``summariser export`` over the rules run, the workbook.

Memory must stay flat as the count grows: compare ``--count 1000`` with ``--count 10000``.
``--skip-llm`` and ``--skip-batch`` leave out steps 2 and 3. Prints one table; ``--json``
writes the numbers too.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.fakebatch import run_engine  # noqa: E402
from tests.fakemodel import answering  # noqa: E402
from tests.fakeserver import FakeServer  # noqa: E402

SUMMARISER = Path(sys.executable).parent / "summariser"

PROVINCES = ["河北", "山西", "辽宁", "吉林", "江苏", "浙江", "安徽", "福建", "江西", "山东",
             "河南", "湖北", "湖南", "广东", "海南", "四川", "贵州", "云南", "陕西", "甘肃"]  # fmt: skip
CITY_WORDS = ["安", "宁", "平", "和", "兴", "昌", "德", "阳", "川", "山", "江", "源", "清", "丰",
              "华", "泰", "庆", "嘉", "临", "武", "东", "西", "南", "北", "云", "溪", "石", "林"]  # fmt: skip
DEPARTMENTS = ["司法局", "市场监督管理局", "生态环境局", "自然资源局", "交通运输局", "应急管理局",
               "人力资源和社会保障局", "住房和城乡建设局", "农业农村局", "卫生健康委员会"]  # fmt: skip
ACHIEVEMENTS = [
    ("健全依法行政制度体系", ["审查规范性文件{a}件，清理各类文件{b}件", "出台制度文件{c}项"]),
    ("深化行政执法体制改革", ["梳理执法事项{a}项", "开展联合检查{b}次，减少入企检查{p}%"]),
    ("规范重大行政决策", ["审议重大行政决策事项{c}件", "合法性审查率达到100%"]),
    ("加强行政复议和应诉", ["办理行政复议案件{a}件，纠错{c}件", "负责人出庭应诉率{p}%"]),
    ("推进政务公开", ["主动公开政府信息{a}条", "办理依申请公开{b}件"]),
    ("加强法治宣传教育", ["开展普法活动{b}场次，覆盖群众{a}人次", "培训执法人员{b}人"]),
    ("化解矛盾纠纷", ["调解矛盾纠纷{a}起，调解成功率{p}%", "办理法律援助案件{b}件"]),
    ("优化法治化营商环境", ["为企业减免费用{x}万元", "办理涉企案件{c}件"]),
]
FILLER = [
    "坚持以习近平法治思想为指导，把法治建设摆在全局工作的重要位置",
    "建立健全工作机制，明确责任分工，层层压实责任",
    "加强统筹协调，定期研究解决工作中的重点难点问题",
    "注重以案释法，推动法治理念深入人心",
    "强化督查考核，将落实情况纳入年度绩效考核",
    "加强信息化建设，推动线上线下深度融合",
    "召开专题会议研究部署，印发年度工作要点和任务清单，逐项明确责任单位和完成时限",
    "组织开展专项督查，对发现的问题建立台账，实行销号管理，确保整改到位",
    "加强与人大、政协和社会各界的沟通联系，认真听取意见建议，不断改进工作方式方法",
    "推行说理式执法和柔性执法，对轻微违法行为依法不予处罚或从轻减轻处罚",
    "完善案卷评查和执法考评制度，定期通报执法检查情况，推动执法质量持续提升",
    "依托政务服务平台推进“一网通办”，群众办事更加便捷高效",
    "深入开展法治宣传进机关、进乡村、进社区、进学校、进企业、进单位活动",
    "选树一批依法行政示范单位，发挥典型引领作用，形成比学赶超的良好氛围",
]
PROBLEMS = [
    ("基层执法力量薄弱", "部分乡镇执法人员数量不足，专业化水平不高，主要原因是编制资源有限"),
    ("法治宣传针对性不强", "普法形式较为单一，覆盖面不够，主要原因是部门协同不足"),
    ("行政决策程序落实不到位", "个别单位公众参与环节走过场，主要原因是制度执行不严格"),
    ("执法规范化水平有待提高", "案卷评查发现部分案卷文书不规范，主要原因是培训不够深入"),
]
PLANS = [
    ("提升执法能力", "开展执法人员轮训，全年培训不少于{c}期"),
    ("深化普法宣传", "落实“谁执法谁普法”责任制，开展精准普法"),
    ("完善决策机制", "严格落实重大行政决策程序，提高决策质量"),
    ("优化营商环境", "持续推进包容审慎监管，依法保护市场主体合法权益"),
]
NUMERALS = "一二三四五六七八"
SUBNUMERALS = ["（一）", "（二）", "（三）", "（四）", "（五）", "（六）", "（七）", "（八）"]


def _issuer(rng: random.Random, i: int) -> tuple[str, str]:
    """An issuer name, and its place name (for the report's own sentences); reports differ in
    their figures too, so no two are the same text."""
    province = PROVINCES[i % len(PROVINCES)] + "省"
    city = "".join(rng.sample(CITY_WORDS, 2))
    county = "".join(rng.sample(CITY_WORDS, 2))
    level = rng.choice(["province", "city", "city", "county", "county", "county"])
    place = {
        "province": province,
        "city": f"{province}{city}市",
        "county": f"{province}{city}市{county}{rng.choice('县区')}",
    }[level]
    kind = rng.choice(["人民政府", "人民政府", "dept"])
    if kind == "dept":
        dept = rng.choice(DEPARTMENTS)
        if level == "province":
            dept = dept.replace("局", "厅")
        return place + dept, place
    return place + "人民政府", place


def _figures(rng: random.Random) -> dict[str, object]:
    return {
        "a": rng.randint(100, 9999),
        "b": rng.randint(10, 999),
        "c": rng.randint(2, 60),
        "p": rng.randint(60, 99),
        "x": round(rng.uniform(10, 900), 2),
    }


def _body(rng: random.Random, facts: list[str]) -> str:
    sentences = [f.format(**_figures(rng)) for f in facts]
    sentences += rng.sample(FILLER, rng.randint(0, 9))
    rng.shuffle(sentences)
    return "。".join(sentences) + "。"


def report(i: int) -> str:
    """Synthetic report number ``i``: distinct text, its shape and figures drawn by seed ``i``."""
    rng = random.Random(i)
    issuer, place = _issuer(rng, i)
    year = rng.randint(2019, 2025)
    lines = [f"{issuer}{year}年法治政府建设年度报告", ""]
    lines.append(f"{year}年，{place}认真贯彻落实党中央、国务院决策部署，扎实推进法治政府建设。")
    parts: list[tuple[str, list[tuple[str, str]]]] = []
    picked = rng.sample(ACHIEVEMENTS, rng.randint(1, 8))
    parts.append(("主要举措和成效", [(h, _body(rng, f)) for h, f in picked]))
    if rng.random() < 0.9:
        chosen = rng.sample(PROBLEMS, rng.randint(1, 4))
        parts.append(("存在的不足和原因", [(h, b + "。") for h, b in chosen]))
    if rng.random() < 0.5:
        duty = [("认真履行第一责任人职责", _body(rng, ["主持召开法治建设专题会议{c}次"]))]
        parts.append(("党政主要负责人履行推进法治建设第一责任人职责情况", duty))
    if rng.random() < 0.85:
        chosen = rng.sample(PLANS, rng.randint(1, 4))
        parts.append((f"{year + 1}年工作安排", [(h, _body(rng, [b])) for h, b in chosen]))
    for n, (title, items) in enumerate(parts):
        lines.append(f"{NUMERALS[n]}、{title}")
        for k, (heading, body) in enumerate(items):
            lines.append(f"{SUBNUMERALS[k]}{heading}。{body}")
    if rng.random() < 0.05:  # cut off mid-sentence, as a truncated download
        text = "\n".join(lines)
        return text[: len(text) - rng.randint(5, 20)]
    lines += ["", issuer, f"{year + 1}年{rng.randint(1, 3)}月{rng.randint(1, 28)}日"]
    return "\n".join(lines) + "\n"


def write_reports(folder: Path, count: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        (folder / f"r{i:05d}.txt").write_text(report(i), encoding="utf-8")


def measured(args: list[str], env: dict[str, str]) -> tuple[float, float, int]:
    """Run ``args`` in a fresh wrapper process: (seconds, peak RSS in MiB, exit code)."""
    wrapper = (
        "import resource, subprocess, sys, time\n"
        "t = time.monotonic()\n"
        "code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL,"
        " stderr=subprocess.DEVNULL).returncode\n"
        "print(time.monotonic() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, code)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", wrapper, *args], env=env, capture_output=True, text=True, check=True
    )
    seconds, kib, code = done.stdout.split()
    return float(seconds), int(kib) / 1024, int(code)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--latency", type=float, default=0.05, help="fake endpoint, seconds")
    parser.add_argument("--jobs", type=int, default=16)
    parser.add_argument("--skip-llm", action="store_true")
    parser.add_argument("--skip-batch", action="store_true")
    parser.add_argument("--keep", type=Path, help="work here and keep it (default: a temp dir)")
    parser.add_argument("--json", type=Path, help="write the numbers here too")
    opts = parser.parse_args()
    root = opts.keep or Path(tempfile.mkdtemp(prefix="summariser-scale-"))
    root.mkdir(parents=True, exist_ok=True)
    reports, rules_out = root / "reports", root / "out-rules"
    env = {**os.environ}
    for key in ("OPENAI_BASE_URL", "SUMMARISER_MODEL", "SUMMARISER_MODE"):
        env.pop(key, None)
    started = time.monotonic()
    write_reports(reports, opts.count)
    size = sum(p.stat().st_size for p in reports.iterdir()) / 1e6
    print(f"{opts.count} reports ({size:.1f} MB) written in {time.monotonic() - started:.1f} s")
    rows: list[dict[str, object]] = []

    def step(name: str, args: list[str], step_env: dict[str, str] = env) -> None:
        seconds, mib, code = measured([str(SUMMARISER), *args], step_env)
        rows.append({"command": name, "seconds": round(seconds, 1), "peak_mib": round(mib, 1),
                     "exit": code, "per_report_ms": round(1000 * seconds / opts.count, 1)})  # fmt: skip
        print(f"{name:38} {seconds:8.1f} s {mib:8.1f} MiB  exit {code}", flush=True)

    step("run --engine rules", ["run", str(reports), "--out", str(rules_out), "--engine", "rules",
                                "-q", "--force"])  # fmt: skip
    if not opts.skip_llm:
        with FakeServer(default=answering(opts.latency)) as server:
            llm_env = {**env, "OPENAI_BASE_URL": server.base_url, "SUMMARISER_MODEL": "fake"}
            step(
                f"run --jobs {opts.jobs} (fake, {opts.latency:g} s)",
                ["run", str(reports), "--out", str(root / "out-llm"), "--jobs", str(opts.jobs),
                 "-q", "--force"],
                llm_env,
            )  # fmt: skip
            rows[-1]["requests"] = len(server.requests)
            print(f"{'':38} {len(server.requests)} requests")
    if not opts.skip_batch:
        batch = root / "batch"
        shutil.rmtree(batch, ignore_errors=True)
        fake_env = {**env, "SUMMARISER_MODEL": "fake", "OPENAI_BASE_URL": "http://127.0.0.1:9/v1"}
        step("batch prepare", ["batch", "prepare", str(reports), "--dir", str(batch), "-q"],
             fake_env)  # fmt: skip
        for n in range(1, 9):
            requests = batch / f"round-{n}.jsonl"
            if not requests.is_file():
                break
            results = batch / f"results-{n}.jsonl"
            results.write_text(run_engine(requests.read_text(encoding="utf-8")), encoding="utf-8")
            lines = len(requests.read_text(encoding="utf-8").splitlines())
            step(f"batch collect round {n} ({lines} requests)",
                 ["batch", "collect", str(batch), "--results", str(results), "-q"], fake_env)  # fmt: skip
    step("memo (Markdown)", ["memo", str(rules_out), "--out", str(root / "memo.md")])
    memo = root / "memo.md"
    if memo.is_file():
        rows[-1]["memo_chars"] = len(memo.read_text(encoding="utf-8"))
        print(f"{'':38} memo {rows[-1]['memo_chars']:,} characters")
    step("export (xlsx)", ["export", str(rules_out), "--out", str(root / "summaries.xlsx")])
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    print(f"machine: {machine}; load average {os.getloadavg()[0]:.1f}")
    if opts.json:
        opts.json.write_text(json.dumps({"count": opts.count, "machine": machine, "rows": rows},
                                        ensure_ascii=False, indent=1))  # fmt: skip
    if not opts.keep:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
