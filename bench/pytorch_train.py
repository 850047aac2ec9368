#!/usr/bin/env python3
"""PyTorch half of Arc.Bench's `training` group: the sample's MLP and CNN (samples/Mnist), same shapes, batch size,
loss and optimizer (Adam), trained for a fixed number of steps on one fixed batch; prints one JSON line.

    python3 bench/pytorch_train.py --model mlp|cnn --steps N --batch 64 --threads T --device cpu|cuda
"""
import argparse, json, sys, time

import torch
from torch import nn

MEAN, STD = 0.1307, 0.3081  # MnistDigits.PixelMean / PixelStd


def build(model: str) -> nn.Module:
    if model == "mlp":  # MlpClassifier(hidden = 128, learningRate = 1e-3)
        return nn.Sequential(nn.Flatten(), nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 10))
    if model == "cnn":  # ConvClassifier(channels = 8, learningRate = 2e-3)
        return nn.Sequential(
            nn.Conv2d(1, 8, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(8, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Flatten(), nn.Linear(16 * 7 * 7, 10))
    raise SystemExit(f"unknown model {model!r}: use mlp or cnn")


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--model", required=True)
    p.add_argument("--steps", type=int, default=500)
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--threads", type=int, default=0)
    p.add_argument("--device", default="cpu")
    a = p.parse_args()
    if a.threads > 0:
        torch.set_num_threads(a.threads)
    torch.manual_seed(1)
    device = torch.device(a.device)
    net = build(a.model).to(device)
    opt = torch.optim.Adam(net.parameters(), lr=1e-3 if a.model == "mlp" else 2e-3)
    loss_fn = nn.CrossEntropyLoss()
    # The batch arrives from host memory every step, as Arc's Fit receives an ImageData batch.
    x_host = torch.rand(a.batch, 1, 28, 28)
    y_host = torch.randint(0, 10, (a.batch,))

    def step() -> None:
        x = (x_host.to(device) - MEAN) / STD
        y = y_host.to(device)
        opt.zero_grad()
        loss = loss_fn(net(x), y)
        loss.backward()
        opt.step()
        loss.item()  # Arc's Fit reads the loss back, which also synchronises the device

    for _ in range(max(10, a.steps // 10)):  # warm-up
        step()
    start = time.perf_counter()
    for _ in range(a.steps):
        step()
    elapsed = time.perf_counter() - start
    print(json.dumps({"steps_per_s": a.steps / elapsed, "torch": torch.__version__, "device": str(device),
                      "threads": torch.get_num_threads()}))


if __name__ == "__main__":
    sys.exit(main())
