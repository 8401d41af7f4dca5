#!/usr/bin/env python3
"""Summarizes the convergence study's run directories: a Markdown table of test accuracy after epochs 1, 5 and 10
per recipe and worker count (study.md), and the accuracy curves (study.png), both in the study's root; with
--docs DIR also into DIR/convergence.md (between its study-table markers, dated) and DIR/study.png.

usage: study_report.py RUNS_ROOT [--docs DIR]   (run directories named RECIPE-wN, each with metrics.json)"""
import datetime
import json
import pathlib
import re
import sys


def load(root):
    runs = {}
    for metrics in sorted(pathlib.Path(root).glob("*-w*/metrics.json")):
        match = re.fullmatch(r"(\w+)-w(\d+)", metrics.parent.name)
        if match and (metrics.parent / "_SUCCESS").exists():
            runs[(match.group(1), int(match.group(2)))] = json.loads(metrics.read_text())
    return runs


def table(runs):
    lines = ["| recipe | workers | epoch 1 | epoch 5 | epoch 10 |",
             "| --- | ---: | ---: | ---: | ---: |"]
    for (recipe, workers), metrics in sorted(runs.items()):
        accuracy = {m["epoch"]: m["test_accuracy"] for m in metrics}
        cells = [f"{100 * accuracy[e]:.2f}%" if e in accuracy else "-" for e in (1, 5, 10)]
        lines.append(f"| {recipe} | {workers} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def plot(runs, path):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, figsize=(11, 4), sharey=True)
    for ax, recipe in zip(axes, ("seed", "fast")):
        for (name, workers), metrics in sorted(runs.items()):
            if name == recipe:
                ax.plot([m["epoch"] for m in metrics], [100 * m["test_accuracy"] for m in metrics],
                        marker="o", label=f"{workers} worker{'s' if workers > 1 else ''}")
        ax.set_title(f"--recipe {recipe}")
        ax.set_xlabel("epoch")
        ax.grid(alpha=0.3)
        ax.legend()
    axes[0].set_ylabel("test accuracy (%)")
    fig.suptitle("Fashion-MNIST test accuracy, parameters averaged once per epoch")
    fig.tight_layout()
    fig.savefig(path, dpi=110)


BEGIN, END = "<!-- study table -->", "<!-- end of study table -->"


def into_docs(docs, markdown, runs):
    """Replaces the table between the markers of DOCS/convergence.md, with the date it was made."""
    page = pathlib.Path(docs) / "convergence.md"
    text = page.read_text()
    if BEGIN not in text or END not in text:
        sys.exit(f"{page}: expected the lines {BEGIN} and {END} around the study table")
    today = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    block = f"{BEGIN}\nTest accuracy of {len(runs)} runs, report made {today} by `submit/study_report.py`:\n\n{markdown}{END}"
    head, rest = text.split(BEGIN, 1)
    page.write_text(head + block + rest.split(END, 1)[1])
    plot(runs, pathlib.Path(docs) / "study.png")


def main(argv):
    root = argv[0] if argv and not argv[0].startswith("--") else "runs/study"
    docs = argv[argv.index("--docs") + 1] if "--docs" in argv else None
    runs = load(root)
    if not runs:
        sys.exit(f"no finished runs named RECIPE-wN under {root}")
    markdown = table(runs)
    (pathlib.Path(root) / "study.md").write_text(markdown)
    plot(runs, pathlib.Path(root) / "study.png")
    if docs:
        into_docs(docs, markdown, runs)
    print(markdown, end="")


if __name__ == "__main__":
    main(sys.argv[1:])
