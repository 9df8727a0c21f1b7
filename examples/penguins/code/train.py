"""Train the penguins model with smtrain's training runtime.

SageMaker's scikit-learn container installs ``requirements.txt``, then runs
``python train.py --target species --model random-forest ...`` with the job's
hyperparameters; the runtime reads the rest of the training contract (channels,
model and output folders) from the environment itself.
"""

import sys

from smtrain.ml.train import main

if __name__ == "__main__":
    sys.exit(main())
