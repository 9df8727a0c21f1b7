"""Data-parallel training of a small MLP, started by torchrun on every instance.

Each CSV row in the train channel is ``target, feature1, feature2, ...``. Rank 0
writes the model to SM_MODEL_DIR.
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path

import numpy as np
import torch
import torch.distributed as dist
from torch import nn
from torch.nn.parallel import DistributedDataParallel
from torch.utils.data import DataLoader, TensorDataset


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--batch-size", type=int, default=256)
    parser.add_argument("--lr", type=float, default=1e-3)
    parser.add_argument("--hidden", type=json.loads, default=[128])
    return parser.parse_args()


def load_rows(folder: str) -> TensorDataset:
    rows = np.concatenate(
        [
            np.loadtxt(f, delimiter=",", ndmin=2)
            for f in sorted(Path(folder).glob("*.csv"))
        ]
    )
    data = torch.tensor(rows, dtype=torch.float32)
    return TensorDataset(data[:, 1:], data[:, :1])


def build_model(inputs: int, hidden: list[int]) -> nn.Module:
    layers: list[nn.Module] = []
    for width in hidden:
        layers += [nn.Linear(inputs, width), nn.ReLU()]
        inputs = width
    return nn.Sequential(*layers, nn.Linear(inputs, 1))


def main() -> None:
    args = parse_args()
    use_gpu = torch.cuda.is_available()
    dist.init_process_group("nccl" if use_gpu else "gloo")
    local_rank = int(os.environ.get("LOCAL_RANK", 0))
    device = torch.device(f"cuda:{local_rank}" if use_gpu else "cpu")
    if use_gpu:
        torch.cuda.set_device(device)

    dataset = load_rows(os.environ["SM_CHANNEL_TRAIN"])
    loader = DataLoader(dataset, batch_size=args.batch_size, shuffle=True)
    model = build_model(dataset.tensors[0].shape[1], args.hidden).to(device)
    ddp = DistributedDataParallel(model, device_ids=[local_rank] if use_gpu else None)
    optimizer = torch.optim.Adam(ddp.parameters(), lr=args.lr)

    for epoch in range(args.epochs):
        total = 0.0
        for features, target in loader:
            optimizer.zero_grad()
            loss = nn.functional.mse_loss(ddp(features.to(device)), target.to(device))
            loss.backward()
            optimizer.step()
            total += loss.item() * len(features)
        if dist.get_rank() == 0:
            print(f"epoch {epoch} loss {total / len(dataset):.6f}")

    if dist.get_rank() == 0:
        torch.save(model.state_dict(), Path(os.environ["SM_MODEL_DIR"]) / "model.pt")
    dist.destroy_process_group()


if __name__ == "__main__":
    main()
