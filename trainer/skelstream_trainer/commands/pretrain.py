"""`pretrain`: masked skeleton modelling on (unlabelled) training data."""

import argparse
import time

from ..checkpoint import FILE_NAME, save_checkpoint
from ..config import section
from ..engine.optim import make_adamw
from ..engine.pretrain import pretrain_one_epoch
from ..engine.schedule import BudgetFit, schedule_from_config
from ..engine.training_state import capture_training_state
from ..model_spec import build_backbone_from_spec, build_normalisation, make_spec
from ..models.flops import describe_flops
from ..objectives import build_objective
from .common import (Session, add_common_flags, resume_training, data_shape, dataset_name, make_clips, make_loader, read_data)
from .downstream import knn_report

HELP = "masked pre-training of the encoder (labels not needed)"


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser("pretrain", help=HELP, description=HELP)
    add_common_flags(parser)
    parser.add_argument("--resume", action="store_true", help="continue from the run folder's checkpoint.pt")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> dict:
    session = Session(args, "pretrain")
    log, config = session.run.log, session.config
    cfg = section(config, "pretrain")
    train_seqs = read_data(args.train, args.format, "train")
    shape = data_shape(train_seqs)
    spec = make_spec(config, shape["layout"], shape["persons"], dataset_name(args.train))
    backbone = build_backbone_from_spec(spec).to(session.device)
    normalisation = build_normalisation(spec).to(session.device)
    objective = build_objective(cfg, backbone.patch_size)
    spec["objective"] = objective.describe()
    log.info("%d training sequences, layout %s, %d persons; %s", len(train_seqs), spec["layout"],
             spec["persons"], objective.describe())
    log.info("model %s: %s", spec["model"]["name"], describe_flops(backbone, spec["persons"]))

    dataset = make_clips(config, spec, train_seqs, train=True, seed=args.seed)
    loader = make_loader(dataset, int(cfg["batch_size"]), shuffle=True, seed=args.seed,
                         workers=int(config.get("loader_workers", 0)), drop_last=True)
    optimizer = make_adamw(backbone.named_parameters(), float(cfg["lr"]), float(cfg["weight_decay"]))
    epochs = session.epochs("pretrain")
    schedule = schedule_from_config(cfg, len(loader), epochs, time_budget=args.time_budget is not None)
    # under a time budget the schedule's end follows the run's pace (engine.schedule.BudgetFit)
    fit = BudgetFit(schedule, session.budget, epochs * len(loader)) if args.time_budget is not None else None
    start_epoch, history = resume_training(session, "pretrain", backbone, optimizer, loader, epochs, schedule,
                                           objective, backbone)

    def checkpoint(epoch: int, extra: dict) -> None:
        save_checkpoint(session.run.file(FILE_NAME), kind="pretrain", spec=spec, config=config, epoch=epoch,
                        model=backbone.state_dict(), optimizer=optimizer.state_dict(),
                        metrics={"loss_history": history, **extra},
                        resume=capture_training_state(loader, epochs, schedule, objective, backbone))

    started, samples, stopped, epochs_done = time.monotonic(), 0, False, start_epoch
    every = int(cfg.get("checkpoint_every", 10))
    while epochs_done < epochs:
        epoch = epochs_done
        dataset.set_epoch(epoch)
        stats = pretrain_one_epoch(backbone, normalisation, objective, loader, optimizer, epoch, epochs,
                                   schedule, session.device, session.budget, fit)
        samples += int(stats["steps"]) * loader.batch_size
        if stats["stopped"]:
            stopped = True
            log.info("time budget of %s min spent during epoch %d: stopping", args.time_budget, epoch + 1)
            break
        epochs_done = epoch + 1
        history.append(round(stats["loss"], 6))
        log.info("epoch %d/%d loss %.4f lr %.3g (%.0f s; lr schedule ends at step %d)", epochs_done, epochs,
                 stats["loss"], schedule.lr(epochs_done * len(loader)), time.monotonic() - started, schedule.total)
        if hasattr(objective, "statistics"):  # feature-prediction objectives: make collapse visible
            log.info("epoch %d per-dimension std: %s", epochs_done, objective.statistics())
        if epochs_done % every == 0 and epochs_done < epochs:
            checkpoint(epochs_done, {})
    elapsed = time.monotonic() - started
    metrics = {"command": "pretrain", "objective": spec["objective"], "layout": spec["layout"],
               "persons": spec["persons"], "epochs_done": epochs_done, "epochs": epochs,
               "steps_done": samples // loader.batch_size, "schedule_steps": schedule.total,
               "steps_per_epoch": len(loader),
               "stopped_by_time_budget": stopped, "final_loss": history[-1] if history else None,
               "loss_history": history, "seconds": round(elapsed, 1),
               "train_samples_per_s": round(samples / elapsed, 1) if elapsed > 0 else None,
               "train_sequences": len(train_seqs)}
    if hasattr(objective, "statistics"):
        metrics["collapse"] = objective.statistics()
    checkpoint(epochs_done, {k: v for k, v in metrics.items() if k != "loss_history"})

    if args.test:
        metrics.update(knn_report(session, spec, backbone, train_seqs, args.test))
    metrics["config"] = config
    metrics["log"] = str(session.run.file("log.txt"))
    session.run.write_config(config)
    session.run.write_metrics(metrics)
    log.info("pretrain done: %d epochs, final loss %s, metrics in %s", epochs_done, metrics["final_loss"],
             session.run.file("metrics.json"))
    session.run.close()
    return metrics
