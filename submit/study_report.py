#!/usr/bin/env python3
"""Summarizes the convergence study (submit/study.sh): the candidates' validation accuracy and epoch times, the
recipe chosen on validation accuracy, and that recipe's test accuracy on all training data.

usage: study_report.py STUDY_ROOT [--choose | --docs DIR]
  STUDY_ROOT holds candidates.tsv (name TAB flags; the first is the reference for epoch times) and run directories
  validation/NAME-wN and test/NAME-wN, each with metrics.json.
  --choose   prints the chosen candidate's name and nothing else
  --docs DIR also writes the tables into DIR/convergence.md (between its study-table markers, dated) and the plot
             into DIR/study.png; without it they go to STUDY_ROOT/study.md and STUDY_ROOT/study.png only"""
import datetime
import json
import os
import pathlib
import re
import statistics
import sys

# An ingredient may cost time, but a recipe whose epochs take longer than this times the reference's is not chosen.
MAX_TIME_RATIO = 1.2
# Only runs with at most as many workers as the machine has cores are held to that limit. With more, the tasks queue
# in waves on the cores, and what an extra averaging round costs is mostly that queueing: the same 8-worker recipe
# measured 1.10x, 1.23x and 1.44x the reference in three studies on 2 cores (2026-11-26).
TIMED_WORKERS = os.cpu_count() or 1
REPORTED_EPOCHS = (1, 5, 10)


def candidates(root):
    rows = []
    for line in (pathlib.Path(root) / "candidates.tsv").read_text().splitlines():
        if line.strip():
            name, _, flags = line.partition("\t")
            rows.append((name, flags.strip()))
    return rows


def load(root, stage):
    """{(name, workers): metrics} of the finished runs under ROOT/STAGE."""
    runs = {}
    for metrics in sorted((pathlib.Path(root) / stage).glob("*-w*/metrics.json")):
        match = re.fullmatch(r"([\w.-]+)-w(\d+)", metrics.parent.name)
        if match and (metrics.parent / "_SUCCESS").exists():
            runs[(match.group(1), int(match.group(2)))] = json.loads(metrics.read_text())
    return runs


def epoch_seconds(metrics):
    """The median epoch (training and evaluation), leaving out the first, which pays for warming up."""
    return statistics.median(m["seconds"] for m in metrics[1:] or metrics)


def accuracy_at(metrics, key, epoch):
    values = {m["epoch"]: m[key] for m in metrics}
    return values.get(epoch)


def percent(value):
    return "-" if value is None else f"{100 * value:.2f}%"


def choose(names, runs):
    """The candidate with the best mean final validation accuracy among those run with every worker count and
    within the time limit where it applies (TIMED_WORKERS)."""
    reference = names[0]
    worker_counts = {w for _, w in runs}
    best, best_score = None, -1.0
    for name in names:
        mine = {w: m for (n, w), m in runs.items() if n == name}
        if set(mine) != worker_counts:
            continue
        if any(epoch_seconds(m) > MAX_TIME_RATIO * epoch_seconds(runs[(reference, w)])
               for w, m in mine.items() if (reference, w) in runs and w <= TIMED_WORKERS):
            continue
        score = statistics.mean(m[-1]["validation_accuracy"] for m in mine.values())
        if score > best_score:
            best, best_score = name, score
    if best is None:
        sys.exit("no candidate has finished validation runs")
    return best


def validation_table(rows, runs, chosen):
    reference = rows[0][0]
    lines = ["| candidate | flags over `--recipe fast` | workers | validation, epoch 1 | epoch 5 | epoch 10 "
             "| s/epoch | x reference | rounds/epoch | s per extra round |",
             "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for name, flags in rows:
        for (n, workers), metrics in sorted(runs.items(), key=lambda item: item[0][1]):
            if n != name:
                continue
            seconds = epoch_seconds(metrics)
            base = runs.get((reference, workers))
            ratio = f"{seconds / epoch_seconds(base):.2f}" if base else "-"
            rounds = metrics[-1]["averaging_rounds"]
            extra = "-"
            if base and rounds > base[-1]["averaging_rounds"]:
                extra = f"{(seconds - epoch_seconds(base)) / (rounds - base[-1]['averaging_rounds']):.2f}"
            cells = [percent(accuracy_at(metrics, "validation_accuracy", e)) for e in REPORTED_EPOCHS]
            label = f"**{name}** (chosen)" if name == chosen else name
            lines.append(f"| {label} | `{flags or '(none)'}` | {workers} | " + " | ".join(cells)
                         + f" | {seconds:.1f} | {ratio} | {rounds} | {extra} |")
    return "\n".join(lines) + "\n"


def test_table(chosen, runs):
    lines = ["| recipe | workers | test, epoch 1 | epoch 5 | epoch 10 | s/epoch |",
             "| --- | ---: | ---: | ---: | ---: | ---: |"]
    for (name, workers), metrics in sorted(runs.items()):
        if name == chosen:
            cells = [percent(accuracy_at(metrics, "test_accuracy", e)) for e in REPORTED_EPOCHS]
            lines.append(f"| {name} | {workers} | " + " | ".join(cells) + f" | {epoch_seconds(metrics):.1f} |")
    return "\n".join(lines) + "\n"


def plot(validation, test, chosen, path):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    worker_counts = sorted({w for _, w in validation})
    fig, axes = plt.subplots(1, len(worker_counts), figsize=(5.5 * len(worker_counts), 4), sharey=True,
                             squeeze=False)
    for ax, workers in zip(axes[0], worker_counts):
        for (name, w), metrics in sorted(validation.items()):
            if w == workers:
                ax.plot([m["epoch"] for m in metrics], [100 * m["validation_accuracy"] for m in metrics],
                        marker="o", label=f"{name} (validation)")
        if (chosen, workers) in test:
            metrics = test[(chosen, workers)]
            ax.plot([m["epoch"] for m in metrics], [100 * m["test_accuracy"] for m in metrics], "k--",
                    marker="s", label=f"{chosen} on all data (test)")
        ax.set_title(f"{workers} workers")
        ax.set_xlabel("epoch")
        ax.set_ylim(80, 92)
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8)
    axes[0][0].set_ylabel("accuracy (%)")
    fig.suptitle("Candidates judged on 10,000 held-out training images; the chosen one tested once")
    fig.tight_layout()
    fig.savefig(path, dpi=110)


BEGIN, END = "<!-- study table -->", "<!-- end of study table -->"


def into_docs(docs, markdown, validation, test, chosen):
    """Replaces the tables between the markers of DOCS/convergence.md, with the date they were made."""
    page = pathlib.Path(docs) / "convergence.md"
    text = page.read_text()
    if BEGIN not in text or END not in text:
        sys.exit(f"{page}: expected the lines {BEGIN} and {END} around the study table")
    today = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    block = f"{BEGIN}\nReport made {today} by `submit/study_report.py`.\n\n{markdown}{END}"
    head, rest = text.split(BEGIN, 1)
    page.write_text(head + block + rest.split(END, 1)[1])
    plot(validation, test, chosen, pathlib.Path(docs) / "study.png")


def main(argv):
    root = argv[0] if argv and not argv[0].startswith("--") else "runs/study"
    rows = candidates(root)
    validation = load(root, "validation")
    chosen = choose([name for name, _ in rows], validation)
    if "--choose" in argv:
        print(chosen)
        return
    test = load(root, "test")
    markdown = ("Validation accuracy of every candidate (trained on 50,000 images, 10,000 held out), epoch times"
                f" against `{rows[0][0]}`:\n\n" + validation_table(rows, validation, chosen)
                + f"\nTest accuracy of the chosen candidate, `{chosen}`, trained on all 60,000 images:\n\n"
                + test_table(chosen, test))
    (pathlib.Path(root) / "study.md").write_text(markdown)
    plot(validation, test, chosen, pathlib.Path(root) / "study.png")
    if "--docs" in argv:
        into_docs(argv[argv.index("--docs") + 1], markdown, validation, test, chosen)
    print(markdown, end="")


if __name__ == "__main__":
    main(sys.argv[1:])
