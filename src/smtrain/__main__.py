import sys

from smtrain.cli import main

sys.exit(main())
