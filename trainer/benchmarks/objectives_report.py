"""What the objectives benchmark concludes, from its numbers only: the efficiency target, the
objective the bundled model should use, the plot and the BENCHMARKS.md section."""

import math
from pathlib import Path
from typing import Any, Dict, List, Optional

CURVE = (1 / 6, 1 / 3, 1 / 2, 2 / 3, 1.0)   # shares of the budget where the encoder is copied
EVERYONE = (1 / 3, 1.0)                      # evaluated for every objective (the target asks about 1/3)
THIRD = 1 / 3
SLACK = 1.1      # a snapshot's step overshoot allowed when comparing seconds


def standard_error(accuracy: float, windows: int) -> float:
    """One standard error of an accuracy measured on `windows` test windows (binomial)."""
    return math.sqrt(max(0.0, accuracy * (1 - accuracy)) / max(1, windows))


def gap(accuracy: float, goal: float, windows: int) -> Dict[str, Any]:
    """accuracy - goal with two standard errors of that difference (the two accuracies taken as
    independent: on the same test windows the true error is smaller, so this errs on the side of
    calling a difference noise)."""
    two_se = 2 * math.sqrt(standard_error(accuracy, windows) ** 2 + standard_error(goal, windows) ** 2)
    difference = accuracy - goal
    return {"difference": difference, "two_se": two_se, "within_noise": abs(difference) <= two_se}


def third_budget_objective(ranked: List[str], baseline: str) -> Optional[str]:
    """Which objective gets the re-run with a third of the budget (its own warm-up and decay): the
    best by final probe, the one the target asks about; none when that is the baseline itself (the
    target is then not met, whatever a short run does) or when the run has no baseline to reach."""
    if not ranked or ranked[0] == baseline or baseline not in ranked:
        return None
    return ranked[0]


def efficiency_target(results: Dict[str, Dict], baseline: str, best: str, test_windows: int,
                      third_run: Optional[Dict[str, Any]] = None) -> Optional[Dict[str, Any]]:
    """Does `best` reach the baseline's final linear probe within a third of the baseline's time?

    Two ways, both reported:
    - as a user with a third of the time would meet it (the verdict, `met`): `third_run` is `best`
      pre-trained with a third of the budget, its own warm-up and cosine decay fitted to it; its
      final probe against the baseline's;
    - from the snapshots of `best`'s full run (`met_by_snapshot`): the first evaluated point whose
      probe is at least the baseline's final one. A snapshot at 1/3 is mid-schedule (high lr, not
      annealed), so it understates what a 1/3-budget run reaches. Snapshots are taken at the first
      step past each share, so their seconds overshoot it by up to a step: a point counts as within
      a third when its share is at most 1/3 and its training seconds at most SLACK over a third of
      the baseline's. Every objective has the same budget, so a share f of its budget is f times
      the baseline's time.
    With each, the gap to the baseline and whether it is within two standard errors (noise)."""
    if baseline not in results or best not in results:
        return None
    goal = results[baseline]["probe_top1"]
    base_seconds = results[baseline]["curve"][-1]["train_seconds"]

    def first_reach(name: str) -> Optional[Dict]:
        return next((p for p in results[name]["curve"] if p["probe_top1"] >= goal), None)

    def within_third(point: Optional[Dict], share: float) -> bool:
        return (point is not None and share <= THIRD + 1e-6
                and point["train_seconds"] <= SLACK * base_seconds / 3)

    reached = first_reach(best) if best != baseline else None
    fast = sorted(n for n in results if n != baseline
                  and (point := first_reach(n)) is not None and within_third(point, point["fraction"]))
    at_third = next((p for p in results[best]["curve"] if abs(p["fraction"] - THIRD) < 1e-3), None)
    snapshot_met = reached is not None and within_third(reached, reached["fraction"])
    third = None
    if third_run is not None and best != baseline:
        third = dict(third_run, reaches=third_run["probe_top1"] >= goal,
                     within_time=within_third(third_run, THIRD),
                     **gap(third_run["probe_top1"], goal, test_windows))
    return {"baseline": baseline, "baseline_final_probe": goal, "baseline_seconds": base_seconds,
            "baseline_se": standard_error(goal, test_windows), "test_windows": test_windows,
            "third_of_baseline_seconds": round(base_seconds / 3, 1), "best": best,
            "best_is_baseline": best == baseline, "best_samples_per_s": results[best].get("samples_per_s"),
            "evaluated_fractions": [p["fraction"] for p in results[best]["curve"]],
            "best_reaches_at_fraction": None if reached is None else reached["fraction"],
            "best_reaches_at_seconds": None if reached is None else reached["train_seconds"],
            "best_probe_at_a_third": None if at_third is None else at_third["probe_top1"],
            "snapshot_gap": None if at_third is None or best == baseline else gap(at_third["probe_top1"], goal,
                                                                                 test_windows),
            "met_by_snapshot": snapshot_met, "third_budget_run": third,
            "met": (third["reaches"] and third["within_time"]) if third is not None else snapshot_met,
            "objectives_within_a_third": fast}


def bundled_suggestion(results: Dict[str, Dict], ranked: List[str], finetunes: Dict[str, Dict],
                       test_windows: int, current: str) -> Dict[str, Any]:
    """`bundle` pre-trains then fits a linear probe, so the final linear probe at equal budget
    decides, when the lead over the second is more than two standard errors of the difference
    of two accuracies on this test set; otherwise the semi-supervised fine-tunes break the tie."""
    best = ranked[0]
    p1 = results[best]["probe_top1"]
    if len(ranked) == 1:
        return {"objective": best, "clear": False, "current": current,
                "reason": "the only objective in this run (nothing to compare)"}
    second = ranked[1]
    p2 = results[second]["probe_top1"]
    se = math.sqrt((p1 * (1 - p1) + p2 * (1 - p2)) / max(1, test_windows))
    margin = p1 - p2
    if margin > 2 * se:
        return {"objective": best, "clear": True, "current": current, "margin": margin, "two_se": 2 * se,
                "reason": f"its final linear probe ({_pct(p1)}) beats the next, {second} ({_pct(p2)}), by "
                          f"{100 * margin:.1f} points, more than two standard errors of the difference on "
                          f"{test_windows} test windows ({100 * 2 * se:.1f} points)"}

    def finetuned(name: str) -> Optional[float]:
        rows = finetunes.get(name) or {}
        values = [r["top1"] for r in rows.values()]
        return sum(values) / len(values) if values else None

    f1, f2 = finetuned(best), finetuned(second)
    if f1 is None or f2 is None:
        return {"objective": best, "clear": False, "current": current, "margin": margin, "two_se": 2 * se,
                "reason": f"{best} ({_pct(p1)}) and {second} ({_pct(p2)}) are within two standard errors "
                          f"({100 * 2 * se:.1f} points) on the linear probe and no fine-tune numbers break the tie; "
                          f"{best} only by a hair"}
    choice = best if f1 >= f2 else second
    return {"objective": choice, "clear": False, "current": current, "margin": margin, "two_se": 2 * se,
            "reason": f"{best} ({_pct(p1)}) and {second} ({_pct(p2)}) are within two standard errors "
                      f"({100 * 2 * se:.1f} points) on the linear probe; the semi-supervised fine-tunes "
                      f"(mean of 1 % and 10 % labels: {best} {_pct(f1)}, {second} {_pct(f2)}) favour {choice}"}


def _pct(v: Optional[float]) -> str:
    return "n/a" if v is None else f"{100 * v:.1f} %"


def _share(f: float) -> str:
    """A share of the budget as the fraction a reader expects (0.3333 -> "1/3")."""
    names = {1 / 6: "1/6", 1 / 3: "1/3", 1 / 2: "1/2", 2 / 3: "2/3", 1.0: "1"}
    return next((name for share, name in names.items() if abs(share - f) < 1e-3), f"{f:.2f}")


def plot(results: Dict[str, Dict], path: Path, third_run: Optional[Dict[str, Any]] = None) -> None:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, axes = plt.subplots(1, 2, figsize=(10, 4))
    for name, r in results.items():
        xs = [p["train_seconds"] / 60 for p in r["curve"]]
        axes[0].plot(xs, [p["probe_top1"] for p in r["curve"]], marker="o", label=name)
        axes[1].plot(xs, [p["knn_top1"] for p in r["curve"]], marker="o", label=name)
    if third_run is not None:   # the run of its own with a third of the budget, beside the snapshots
        x = third_run["train_seconds"] / 60
        for ax, key in zip(axes, ("probe_top1", "knn_top1")):
            ax.plot([x], [third_run[key]], marker="*", markersize=12, linestyle="none", color="black",
                    label=f"{third_run['objective']}, 1/3-budget run")
    for ax, title in zip(axes, ("linear probe top-1", "kNN top-1")):
        ax.set_xlabel("pre-training minutes")
        ax.set_title(title)
        ax.grid(alpha=0.3)
    axes[0].legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def _noise(g: Optional[Dict[str, Any]]) -> str:
    if g is None:
        return ""
    verdict = "within noise" if g["within_noise"] else "beyond noise"
    return (f"{100 * g['difference']:+.1f} points against the baseline, {verdict} (two standard errors of the "
            f"difference: {100 * g['two_se']:.1f} points)")


def target_line(t: Optional[Dict[str, Any]]) -> str:
    if not t:
        return "no baseline (mamp_motion) in this run"
    head = (f"baseline ({t['baseline']}) final probe {_pct(t['baseline_final_probe'])} ± "
            f"{100 * t['baseline_se']:.1f} after {t['baseline_seconds']:.0f} s; a third of its time: "
            f"{t['third_of_baseline_seconds']:.0f} s (a run or snapshot counts when its training time is at most "
            f"{SLACK:g} x that, for the step it may overshoot by). ")
    if t["best_is_baseline"]:
        return head + "The baseline itself has the best final probe -> target **NOT met**."
    third = t["third_budget_run"]
    if third is None:
        user = "no run with a third of the budget in this report"
    else:
        pace = (f"{third['steps']} steps at {third['samples_per_s']:g} samples/s against {t['best_samples_per_s']:g} "
                f"in its full run, " if third.get("samples_per_s") and t.get("best_samples_per_s") else "")
        user = (f"**{t['best']}** pre-trained with a third of the budget ({third['train_seconds']:.0f} s, "
                f"{third['epochs']} epochs, {pace}its own warm-up and cosine decay fitted to it) reaches a final probe of "
                f"{_pct(third['probe_top1'])} ± {100 * standard_error(third['probe_top1'], t['test_windows']):.1f}: "
                f"{_noise(third)}")
    evaluated = ", ".join(_share(f) for f in t["evaluated_fractions"])
    if t["best_reaches_at_fraction"] is None:
        reach = "never within its budget"
    else:
        reach = (f"at {_share(t['best_reaches_at_fraction'])} of its budget "
                 f"({t['best_reaches_at_seconds']:.0f} s of training)")
    snapshot = (f"Snapshots of its full run (evaluated at {evaluated} of its budget; the 1/3 one is mid-schedule, "
                f"lr not yet decayed): probe at 1/3 {_pct(t['best_probe_at_a_third'])}"
                + (f" ({_noise(t['snapshot_gap'])})" if t["snapshot_gap"] else "")
                + f"; it reaches the baseline {reach} -> by snapshot "
                f"**{'met' if t['met_by_snapshot'] else 'NOT met'}**.")
    others = (f" Objectives whose snapshots reach it within a third: {', '.join(t['objectives_within_a_third'])}."
              if t["objectives_within_a_third"] else " No objective's snapshots reach it within a third.")
    close = ""
    if third is not None:
        close = (" The verdict is a point estimate inside the noise: another seed or test set may turn it."
                 if third["within_noise"] else "")
    return (head + f"As a user with a third of the time would run it: {user} -> target (at most a third of the "
            f"baseline's time) **{'met' if t['met'] else 'NOT met'}**.{close} " + snapshot + others)


def report(s: Dict[str, Any], png_name: str) -> str:
    n = s["test_windows"]

    def acc(v: Optional[float]) -> str:   # an accuracy with its standard error on the test windows
        return "n/a" if v is None else f"{100 * v:.1f} ± {100 * standard_error(v, n):.1f} %"

    rows = []
    for name in s["ranking"]:
        r = s["results"][name]
        third = next((p["probe_top1"] for p in r["curve"] if abs(p["fraction"] - THIRD) < 1e-3), None)
        collapse = r["collapse"] or {}
        std = collapse.get("target_std_mean", collapse.get("embedding_std_mean"))
        rows.append(f"| {name} | {r['samples_per_s']} | {r['seconds_per_epoch']} | {r['epochs']} | {acc(third)} | "
                    f"{acc(r['probe_top1'])} | {acc(r['knn_top1'])} | {'-' if std is None else round(std, 3)} |")
    best = s["ranking"][0]
    curve = [f"| {_share(p['fraction'])} (snapshot) | {p['train_seconds']} | {p['epochs']} | {acc(p['probe_top1'])} | "
             f"{acc(p['knn_top1'])} |" for p in s["results"][best]["curve"]]
    third_run = (s["target"] or {}).get("third_budget_run")
    if third_run is not None and s["target"]["best"] == best:
        curve.append(f"| 1/3, a run of its own (warm-up and decay fitted to it) | {third_run['train_seconds']} | "
                     f"{third_run['epochs']} | {acc(third_run['probe_top1'])} | {acc(third_run['knn_top1'])} |")
    semi = []
    for encoder, row in s["semi_supervised"].items():
        cells = [f"{_pct(c['top1'])} ({c['labelled_sequences']} seq, {c['epochs']} ep)"
                 for c in (row.get("1pct"), row.get("10pct")) if c]
        semi.append(f"| {encoder} | {' | '.join(cells)} |")
    b, t = s["bundled"], s["timings"]
    quick = s["quick"]
    kind = "QUICK SMOKE RUN (small data, tiny budgets; not a result)" if quick else "full run"
    return "\n".join([
        "## Pre-training objectives (issue 7)", "",
        f"Written by `cd trainer && /usr/bin/python3 -m benchmarks.objectives{' --quick' if quick else ''}` ({kind}) "
        f"on: {s['machine']}.", "",
        f"Preset `{s['preset']}`, {s['seconds_per_objective']:.0f} s of pre-training per objective "
        f"({s['budget_minutes']} min in all; evaluation not counted), data `{s['train']}` / `{s['test']}` "
        f"({n} test windows). Probe = BatchNorm + linear on the frozen encoder (accuracy averaged over "
        f"{s.get('probe_seeds', 1)} head seeds), kNN k=10; the encoder is copied at 1/6, 1/3, 1/2, 2/3 and 1 of its "
        f"budget without interrupting it. ± is one standard error of an accuracy on {n} test windows (binomial); "
        f"two accuracies differ beyond noise when the gap exceeds two standard errors of the difference "
        f"(about {100 * 2 * math.sqrt(2) * standard_error(0.65, n):.1f} points near 65 %).", "",
        "| objective | samples/s | s/epoch | epochs | probe at 1/3 | linear probe | kNN | target/embedding std |",
        "|---|---|---|---|---|---|---|---|", *rows, "",
        f"Accuracy against pre-training time: ![objectives]({png_name})", "",
        f"Curve of the best, **{best}**:", "",
        "| share of budget | training s | epochs | linear probe | kNN |", "|---|---|---|---|---|", *curve, "",
        f"Target: {target_line(s['target'])}", "",
        f"Semi-supervised (the papers' protocol): the whole encoder and a head fine-tuned on 1 % / 10 % of the "
        f"labelled training sequences (stratified), {s['finetune_seconds']:.0f} s of training each, test top-1:", "",
        "| encoder | 1 % labels | 10 % labels |", "|---|---|---|", *semi, "",
        f"Objective for the bundled model (now `{b['current']}`): **{b['objective']}** — {b['reason']}."
        + (" (Smoke run: do not switch on this evidence.)" if quick else ""), "",
        f"Time: {t['pretraining_minutes']} min pre-training, {t.get('third_budget_minutes', 0)} min for the "
        f"1/3-budget run and its evaluation, {t['evaluation_minutes']} min for {t['evaluations']} "
        f"evaluations, {t['finetune_minutes']} min for {t['finetunes']} fine-tunes; total {s['minutes_total']} min."])
