from __future__ import annotations

import sys

from lscb_desktop.cli import main

sys.exit(main())
