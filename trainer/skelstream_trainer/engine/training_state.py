"""What a checkpoint needs beyond model and optimizer for a resumed run to continue exactly as
an uninterrupted one (same seed, same device): the objective's own state (EMA teacher, GFP's
target network, predictors and their optimizer), the schedule's length, and the random
number generators (masking and drop-path draw from torch's global one, the data loader's
shuffle from its own generator; augmentation is seeded per (seed, epoch, clip) already)."""

from typing import Any, Dict, Optional

import torch


def capture_training_state(loader, epochs: int, schedule=None, objective=None,
                           backbone=None) -> Dict[str, Any]:
    """epochs: what the run was asked for; schedule: its LrSchedule (where a time budget has moved its end)."""
    state = {"epochs": int(epochs), "schedule": schedule.state() if schedule is not None else None,
             "torch_rng": torch.get_rng_state(),
             "loader_rng": loader.generator.get_state() if loader.generator is not None else None,
             "cuda_rng": torch.cuda.get_rng_state_all() if torch.cuda.is_available() else None,
             "objective": {}}
    if objective is not None and hasattr(objective, "state_dict"):
        state["objective"] = objective.state_dict(backbone)
    return state


def restore_training_state(state: Optional[Dict[str, Any]], loader, device, epochs: int, objective=None,
                           backbone=None, schedule=None) -> None:
    """Restores what capture_training_state saved, the lr schedule's end and warm-up included unless the
    resumed run asks for a different number of epochs than the saved run did (then its own schedule).
    Call it last: building the objective's modules draws from the RNG, and the restored RNG state must be
    the one that counts."""
    if not state:   # a checkpoint from before resume state existed: weights and optimizer only
        return
    if objective is not None and hasattr(objective, "load_state_dict"):
        objective.load_state_dict(state["objective"], backbone, device)
    if state.get("loader_rng") is not None and loader.generator is not None:
        loader.generator.set_state(state["loader_rng"])
    if state.get("cuda_rng") is not None and torch.cuda.is_available():
        torch.cuda.set_rng_state_all(state["cuda_rng"])
    torch.set_rng_state(state["torch_rng"])
    if schedule is not None and int(state["epochs"]) == epochs:
        if state.get("schedule") is not None:
            schedule.load_state(state["schedule"])
        elif "schedule_epochs" in state:   # a checkpoint from before LrSchedule: the epochs its cosine spanned
            schedule.refit(0, int(state["schedule_epochs"]) * len(loader))
