import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"

# Rules re-raise their errors in tests instead of reporting LY004.
os.environ.setdefault("LEERY_STRICT", "1")
sys.path.insert(0, str(ROOT / "tests"))
