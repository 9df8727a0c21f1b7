"""Train a random forest on the CSV files of the train channel.

Runs inside the SageMaker scikit-learn image: the channel folder, model folder
and hyperparameters arrive as SM_* variables and --name value arguments. The
first CSV column is the label.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

import joblib
import pandas as pd
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import train_test_split


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n-estimators", type=int, default=100)
    parser.add_argument("--max-depth", type=int, default=None)
    parser.add_argument("--train", default=os.environ.get("SM_CHANNEL_TRAIN"))
    parser.add_argument("--model-dir", default=os.environ.get("SM_MODEL_DIR"))
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    files = sorted(Path(args.train).glob("*.csv"))
    data = pd.concat(pd.read_csv(f, header=None) for f in files)
    labels, features = data.iloc[:, 0], data.iloc[:, 1:]
    x_train, x_val, y_train, y_val = train_test_split(
        features, labels, test_size=0.2, random_state=0, stratify=labels
    )
    model = RandomForestClassifier(
        n_estimators=args.n_estimators, max_depth=args.max_depth, random_state=0
    )
    model.fit(x_train, y_train)
    print(f"validation accuracy: {model.score(x_val, y_val):.4f}")
    joblib.dump(model, Path(args.model_dir) / "model.joblib")


if __name__ == "__main__":
    main()
