"""The two ways a Python service adopts forestock, each into a fresh virtual environment (no packages
from the test environment):

- `pip install ./bindings-python`: pip's isolated build with maturin from PyPI, then a forecast and
  an error from the installed package;
- the abi3 wheel of `make wheel`, installed with cargo and rustc off the PATH (a user without Rust),
  then the README's Python example.

The cargo builds reuse $CARGO_TARGET_DIR (set by the Makefile), so only the link step is redone when
the extension is already built.
"""

import json
import os
import pathlib
import subprocess
import sys
import venv

PACKAGE = pathlib.Path(__file__).resolve().parents[1]
REPO = PACKAGE.parent

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


README_EXAMPLE = """
import numpy as np, pandas as pd, forestock as fs
t = np.arange(48)
np.savetxt("monthly_sales.csv", 100 + 20 * np.sin(2 * np.pi * t / 12) + t)
df = pd.DataFrame({"unique_id": np.repeat(["a", "b"], 104), "ds": np.tile(np.arange(104), 2),
                   "y": np.tile(50 + 10 * np.cos(2 * np.pi * np.arange(104) / 52), 2)})

# The README's lines, as written there:
y = np.loadtxt("monthly_sales.csv")
fit = fs.AutoETS(season_length=12).fit(y)
out = fit.predict(h=18, level=[80, 95])            # dict of numpy arrays: mean, lo-80, hi-80, lo-95, hi-95
print(out["mean"][:3], out["lo-95"][0], out["hi-95"][0])
fc = fs.forecast(df, h=4, model="auto_ets", season_length=52, level=[95], n_jobs=-1)

import json
print(json.dumps({"keys": sorted(out), "rows": len(fc), "columns": list(fc.columns), "native": fs._native.__file__}))
"""


def _without_rust(environ):
    """`environ` with every PATH entry that holds cargo or rustc removed, and no cargo variables."""
    path = [p for p in environ.get("PATH", "").split(os.pathsep)
            if p and not any(os.path.exists(os.path.join(p, tool)) for tool in ("cargo", "rustc"))]
    env = {k: v for k, v in environ.items()
           if k not in ("VIRTUAL_ENV", "PYTHONPATH") and not k.startswith(("CARGO", "RUSTUP", "MATURIN"))}
    env["PATH"] = os.pathsep.join(path)
    return env


def test_the_wheel_installs_and_runs_without_rust(tmp_path):
    built = subprocess.run(["make", "-C", str(REPO), "--no-print-directory", "wheel"],
                           capture_output=True, text=True, timeout=1800)
    assert built.returncode == 0, built.stdout[-2000:] + built.stderr[-4000:]
    wheel_dir = pathlib.Path(os.environ.get("CARGO_TARGET_DIR", REPO / "target")) / "wheels"
    wheels = sorted(wheel_dir.glob("forestock-*.whl"))
    sdists = sorted(wheel_dir.glob("forestock-*.tar.gz"))
    assert len(wheels) == 1 and len(sdists) == 1, (wheels, sdists)
    tags = wheels[0].name.removesuffix(".whl").split("-")[2:]
    assert tags[:2] == ["cp310", "abi3"], tags  # one wheel for CPython 3.10 and later
    assert tags[2].startswith(("manylinux", "macosx", "win")), tags

    env = _without_rust(os.environ)
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True, clear=True).create(env_dir)
    python = env_dir / "bin" / "python"
    probe = [str(python), "-c", "import shutil; print(shutil.which('cargo'), shutil.which('rustc'))"]
    assert subprocess.run(probe, capture_output=True, text=True, env=env).stdout.split() == ["None", "None"]
    install = subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--only-binary", ":all:",
         f"{wheels[0]}[pandas]"],
        capture_output=True, text=True, env=env, timeout=1200,
    )
    assert install.returncode == 0, install.stderr[-4000:]
    work = tmp_path / "service"
    work.mkdir()
    run = subprocess.run([str(python), "-c", README_EXAMPLE], capture_output=True, text=True, env=env, cwd=work,
                         timeout=300)
    assert run.returncode == 0, run.stderr
    out = json.loads(run.stdout.splitlines()[-1])
    assert out["keys"] == ["hi-80", "hi-95", "lo-80", "lo-95", "mean"]
    assert out["rows"] == 8 and out["columns"][:3] == ["unique_id", "ds", "mean"]
    assert pathlib.Path(out["native"]).is_relative_to(env_dir), "the installed wheel, not the source tree"
