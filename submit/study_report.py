#!/usr/bin/env python3
"""Summarizes the convergence study's run directories: a Markdown table of test accuracy after epochs 1, 5 and 10
per recipe and worker count (study.md), and the accuracy curves (study.png), both in the study's root.

usage: study_report.py RUNS_ROOT   (run directories named RECIPE-wN, each with metrics.json)"""
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
    lines = ["| recipe | workers | epoch 1 | epoch 5 | epoch 10 | seconds/epoch (median) |",
             "| --- | ---: | ---: | ---: | ---: | ---: |"]
    for (recipe, workers), metrics in sorted(runs.items()):
        accuracy = {m["epoch"]: m["test_accuracy"] for m in metrics}
        seconds = sorted(m["seconds"] for m in metrics)[len(metrics) // 2]
        cells = [f"{100 * accuracy[e]:.1f}%" if e in accuracy else "-" for e in (1, 5, 10)]
        lines.append(f"| {recipe} | {workers} | " + " | ".join(cells) + f" | {seconds:.1f} |")
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


def main(root):
    runs = load(root)
    if not runs:
        sys.exit(f"no finished runs named RECIPE-wN under {root}")
    markdown = table(runs)
    (pathlib.Path(root) / "study.md").write_text(markdown)
    plot(runs, pathlib.Path(root) / "study.png")
    print(markdown, end="")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "runs/study")
