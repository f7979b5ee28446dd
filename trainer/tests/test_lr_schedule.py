"""The lr schedule under a time budget: the maths of warm-up and decay, re-fitting its end as a run goes
(continuous lr), and the budget fit from the run's own pace."""

import pytest

from skelstream_trainer.engine.schedule import (BudgetFit, LrSchedule, cosine_lr, schedule_from_config,
                                                warmup_epochs)

BASE, MIN = 3e-3, 1e-5


def lrs(schedule, steps):
    return [schedule.lr(s) for s in range(steps)]


def largest_jump(values):
    return max(abs(b - a) for a, b in zip(values, values[1:]))


def test_without_refit_it_is_the_warmup_cosine_of_mae():
    schedule = LrSchedule(BASE, MIN, total_steps=300, warmup_steps=40)
    assert lrs(schedule, 320) == pytest.approx([cosine_lr(s, 300, 40, BASE, MIN) for s in range(320)], abs=1e-12)
    assert schedule.lr(39) == pytest.approx(BASE) and schedule.lr(300) == pytest.approx(MIN)


@pytest.mark.parametrize("refit_at", [10, 150])   # in the warm-up, in the decay
@pytest.mark.parametrize("new_total", [200, 500])  # the run turned out slower, faster
def test_refit_moves_the_end_and_keeps_the_lr_continuous(refit_at, new_total):
    schedule = LrSchedule(BASE, MIN, total_steps=300, warmup_steps=40)
    before = lrs(schedule, refit_at + 1)
    schedule.refit(refit_at, new_total)
    after = lrs(schedule, new_total + 5)
    assert after[:refit_at + 1] == pytest.approx(before, abs=1e-12) or refit_at >= 40   # decay refits re-anchor
    assert after[refit_at] == pytest.approx(before[refit_at], abs=1e-12)               # no jump at the refit
    assert schedule.lr(new_total) == pytest.approx(MIN) and schedule.lr(new_total - 1) > MIN
    assert max(after) == pytest.approx(BASE)
    # a smooth curve: no step moves the lr by more than a plain cosine over the shorter run would
    steepest = largest_jump([cosine_lr(s, 200, 40, BASE, MIN) for s in range(205)])
    assert largest_jump(after[refit_at:]) <= 1.5 * steepest


def test_many_refits_of_a_noisy_pace_stay_continuous_and_end_at_min_lr():
    schedule = LrSchedule(BASE, MIN, total_steps=6000, warmup_steps=60)
    values, total = [], 6000
    for step in range(700):
        if step % 16 == 8:
            total = 600 + (37 * step) % 80   # the estimate wanders around 640
            schedule.refit(step, total)
        values.append(schedule.lr(step))
    assert largest_jump(values) < 0.05 * BASE
    assert values[-1] == pytest.approx(MIN)


def test_warmup_as_a_share_of_the_run_moves_with_its_end():
    schedule = LrSchedule(BASE, MIN, total_steps=1000, warmup_fraction=0.1)
    assert schedule.warmup == 100
    before = schedule.lr(5)
    schedule.refit(5, 400)
    assert schedule.warmup == 40 and schedule.lr(5) == pytest.approx(before)
    assert schedule.lr(39) == pytest.approx(BASE) and schedule.lr(400) == pytest.approx(MIN)
    with pytest.raises(ValueError, match="warmup_fraction"):
        LrSchedule(BASE, MIN, 100, warmup_fraction=1.5)


def test_warmup_stable_decay_holds_the_peak_then_decays_over_its_last_share():
    schedule = LrSchedule(BASE, MIN, total_steps=1000, warmup_steps=100, shape="wsd", decay_fraction=0.2)
    assert schedule.lr(99) == pytest.approx(BASE)
    assert schedule.lr(820) == pytest.approx(BASE)               # 720 / 900 of the decay phase: still stable
    assert MIN < schedule.lr(900) < BASE and schedule.lr(1000) == pytest.approx(MIN)
    schedule.refit(500, 700)
    assert largest_jump(lrs(schedule, 710)) < 0.05 * BASE and schedule.lr(700) == pytest.approx(MIN)
    with pytest.raises(ValueError, match="shape"):
        LrSchedule(BASE, MIN, 100, shape="step")


def test_schedule_from_config_reads_the_training_section():
    cfg = {"lr": BASE, "min_lr": MIN, "warmup_epochs": 5}
    assert schedule_from_config(cfg, 31, 200, time_budget=True).warmup == warmup_epochs(5, True) * 31 == 62
    assert schedule_from_config(cfg, 31, 200, time_budget=False).warmup == 155
    exact = schedule_from_config(dict(cfg, warmup_fraction=0.05, lr_schedule="wsd"), 31, 200, True, total_steps=600)
    assert (exact.total, exact.warmup, exact.shape) == (600, 30, "wsd")


def test_state_round_trip_continues_the_same_schedule():
    a = LrSchedule(BASE, MIN, total_steps=6000, warmup_fraction=0.1)
    a.refit(8, 640)
    a.refit(200, 590)
    b = LrSchedule(BASE, MIN, total_steps=6000, warmup_fraction=0.1)
    b.load_state(a.state())
    assert lrs(a, 700) == lrs(b, 700)


class FakeClock:
    """A training clock that advances only when told: elapsed_s / remaining_s as TimeBudget's."""

    def __init__(self, limit):
        self.limit, self.now = limit, 0.0

    def elapsed_s(self):
        return self.now

    def remaining_s(self):
        return max(0.0, self.limit - self.now)


def run_on(clock, schedule, fit, seconds_of_step, max_steps=10 ** 6):
    """Steps until the clock is spent (or max_steps); returns the lr of each step."""
    used, step = [], 0
    while clock.remaining_s() > 0 and step < max_steps:
        used.append(schedule.lr(step))
        clock.now += seconds_of_step(step)
        step += 1
        fit.after_step(step)
    return used


def test_a_slow_start_does_not_end_the_schedule_early_or_waste_the_budget():
    # 40 s; the first steps are slow (allocator, lazy init: 1 s, then 0.2 s for 30 steps), then 0.05 s per step.
    # A fit from the first epoch (the old rule) would plan 40 / 7 s = 5 epochs = 155 steps and then
    # train ~ 530 more at min_lr; the budget fit ends the decay at the budget's end.
    clock = FakeClock(40.0)
    schedule = LrSchedule(BASE, MIN, total_steps=200 * 31, warmup_steps=62)
    fit = BudgetFit(schedule, clock, cap_steps=200 * 31)
    used = run_on(clock, schedule, fit, lambda s: 1.0 if s == 0 else (0.2 if s < 31 else 0.05))
    steps = len(used)
    assert steps == 1 + 30 + 660 + 1   # 1 s + 30 x 0.2 s + 660 x 0.05 s = 40 s, and the step that crosses it
    at_min = sum(1 for lr in used if lr <= 1.01 * MIN)
    assert at_min <= 0.02 * steps                       # nearly every step trains above min_lr
    assert used[int(0.6 * steps)] > 0.25 * BASE         # not decayed early
    assert used[-1] < 0.01 * BASE                       # annealed by the end
    assert largest_jump(used) < 0.05 * BASE and fit.fits > 10


def test_a_machine_that_gets_busier_moves_the_end_continuously():
    clock = FakeClock(60.0)
    schedule = LrSchedule(BASE, MIN, total_steps=10_000, warmup_steps=50)
    fit = BudgetFit(schedule, clock, cap_steps=10_000)
    used = run_on(clock, schedule, fit, lambda s: 0.05 if s < 400 else 0.1)   # half speed after 20 s
    assert used[-1] < 0.01 * BASE and largest_jump(used) < 0.05 * BASE
    assert sum(1 for lr in used if lr <= 1.01 * MIN) <= 0.03 * len(used)


def test_the_cap_bounds_the_fitted_end():
    clock = FakeClock(100.0)
    schedule = LrSchedule(BASE, MIN, total_steps=300, warmup_steps=10)
    fit = BudgetFit(schedule, clock, cap_steps=300)
    used = run_on(clock, schedule, fit, lambda s: 0.01, max_steps=300)   # 10000 steps would fit; it asked for 300
    assert schedule.total == 300 and fit.fits > 10
    assert used == pytest.approx([cosine_lr(s, 300, 10, BASE, MIN) for s in range(300)], rel=1e-9)
