"""Model registry from Python: the core's promotion rule, champions that forecast, JSON and file round
trips, schema migration and typed errors."""

import json
from datetime import datetime, timedelta, timezone

import numpy as np
import pytest

import forestock as fs

T0 = datetime(2026, 2, 1, tzinfo=timezone.utc)
Y = 50 + 10 * np.sin(np.arange(48) * 2 * np.pi / 12) + np.random.default_rng(3).normal(0, 1, 48)


def _three_decisions():
    reg = fs.Registry()
    decisions = [
        reg.promote_if_better("SKU-1", fs.SeasonalNaive(12), {"mase": mase}, trained_at=T0, decided_at=T0 + timedelta(days=i))
        for i, mase in enumerate([0.90, 0.89, 0.80])
    ]
    return reg, decisions


def test_promotion_rule_needs_two_percent_improvement():
    reg, (first, second, third) = _three_decisions()
    assert first["promoted"] and first["reason"] == {"outcome": "no_champion"}
    # 0.89 vs 0.90 is 1.1 % better: below the 2 % margin, kept as a challenger.
    assert not second["promoted"]
    assert second["reason"]["outcome"] == "insufficient_improvement"
    assert second["reason"]["relative_improvement"] == pytest.approx((0.90 - 0.89) / 0.90, rel=1e-12)
    assert second["reason"]["required"] == 0.02
    assert third["promoted"] and third["reason"]["relative_improvement"] == pytest.approx((0.90 - 0.80) / 0.90)
    assert [d["challenger_version"] for d in (first, second, third)] == [1, 2, 3]
    assert third["champion_version"] == 1 and third["champion_score"] == 0.90
    assert third["decided_at"] == T0 + timedelta(days=2)

    champion = reg.champion("SKU-1")
    assert champion.version == 3 and champion.metrics == {"mase": 0.80}
    assert champion.created_at == T0
    models = reg.models("SKU-1")
    assert [r.version for r in models["challengers"]] == [2]
    assert [r.version for r in models["retired"]] == [1]
    assert models["next_version"] == 4
    assert [d["challenger_version"] for d in reg.history] == [1, 2, 3]
    assert reg.skus() == ["SKU-1"] and len(reg) == 1 and "SKU-1" in reg and "SKU-2" not in reg
    assert reg.champion("SKU-2") is None and reg.models("SKU-2") is None


def test_champion_forecasts_like_the_stored_model():
    reg, _ = _three_decisions()
    record = reg.champion("SKU-1")
    assert isinstance(record.model, fs.SeasonalNaive)
    expected = fs.SeasonalNaive(12).forecast(Y, h=6, level=[80])
    got = record.forecast(Y, h=6, level=[80])
    for key in expected:
        np.testing.assert_array_equal(got[key], expected[key])


def test_fitted_model_is_stored_with_its_spec_window_and_description():
    fit = fs.ETS(season_length=12, model="AAA").fit(Y)
    reg = fs.Registry()
    reg.promote_if_better("S", fit, {"mase": 0.7, "mape": 4.2, "coverage_95": 0.93}, trained_at=T0)
    record = reg.champion("S")
    assert record.training_window == {"start": None, "end": None, "observations": len(Y)}
    assert record.fitted_state == {"description": fit.description}
    assert record.metrics == {"mase": 0.7, "mape": 4.2, "other": {"coverage_95": 0.93}}
    assert isinstance(record.model, fs.ETS)
    np.testing.assert_array_equal(record.fit(Y).predict(4)["mean"], fit.predict(4)["mean"])


def test_backtest_result_is_accepted_as_metrics():
    model = fs.Naive()
    result = fs.backtest(Y, model, windows=3, step=2, horizon=4, season_length=12)
    reg = fs.Registry()
    window = {"start": T0 - timedelta(weeks=48), "end": T0, "observations": 48}
    reg.promote_if_better("S", model, result, window=window, trained_at=T0)
    record = reg.champion("S")
    pooled = result["metrics"]
    for name in ("mase", "mape", "smape", "rmse", "mae", "bias"):
        assert record.metrics[name] == pooled[name]
    assert record.training_window == window


def test_json_and_file_round_trips(tmp_path):
    reg, _ = _three_decisions()
    reg.promote_if_better("SKU-2", {"model": "croston_sba"}, {"mase": 1.1}, trained_at=T0)
    text = reg.to_json()
    assert json.loads(text)["schema_version"] == 2 and reg.schema_version == 2
    back = fs.Registry.from_json(text)
    assert back == reg and back.to_json() == text
    path = tmp_path / "registry.json"
    reg.save(path)
    loaded = fs.Registry.load(str(path))
    assert loaded == reg
    assert loaded.history == reg.history
    assert loaded.champion("SKU-2").spec == {"model": "croston_sba"}
    loaded.promote_if_better("SKU-2", fs.Naive(), {"mase": 0.5}, trained_at=T0)
    assert loaded != reg


def test_version_1_documents_are_migrated():
    v1 = {
        "schema_version": 1,
        "models": {
            "A": {
                "champion": {
                    "version": 3,
                    "spec": {"model": "naive"},
                    "metrics": {"mase": 0.9, "wape": 12.5},
                    "trained_observations": 40,
                    "created_at": "2025-06-01T00:00:00Z",
                },
                "challengers": [],
            }
        },
    }
    reg = fs.Registry.from_json(json.dumps(v1))
    assert reg.schema_version == 2
    record = reg.champion("A")
    assert record.metrics == {"mase": 0.9, "other": {"wape": 12.5}}
    assert record.training_window["observations"] == 40 and record.fitted_state is None
    assert reg.models("A")["next_version"] == 4
    assert isinstance(record.model, fs.Naive)


def test_prune_keeps_champions_and_history():
    reg = fs.Registry()
    for i, mase in enumerate([0.5, 0.9, 0.8, 0.7, 0.6]):  # one champion, four rejected challengers
        reg.promote_if_better("S", fs.Naive(), {"mase": mase}, trained_at=T0 + timedelta(hours=i))
    assert len(reg.models("S")["challengers"]) == 4
    assert reg.prune(1) == 3
    assert [r.metrics["mase"] for r in reg.models("S")["challengers"]] == [0.6]
    assert reg.champion("S").metrics["mase"] == 0.5 and len(reg.history) == 5


def test_policy_settings():
    reg = fs.Registry(metric="mae", min_relative_improvement=0.1)
    assert reg.policy == {"metric": "mae", "min_relative_improvement": 0.1}
    reg.promote_if_better("S", fs.Naive(), {"mae": 10.0, "mase": 5.0}, trained_at=T0)
    # 5 % better MAE with a 10 % margin: kept, whatever the MASE says.
    assert not reg.promote_if_better("S", fs.Naive(), {"mae": 9.5, "mase": 0.1}, trained_at=T0)["promoted"]
    reg.set_policy(min_relative_improvement=0.0)
    assert reg.policy == {"metric": "mae", "min_relative_improvement": 0.0}
    assert reg.promote_if_better("S", fs.Naive(), {"mae": 9.9}, trained_at=T0)["promoted"]
    assert fs.Registry().policy == {"metric": "mase", "min_relative_improvement": 0.02}


@pytest.mark.parametrize(
    "model",
    [
        fs.Naive(),
        fs.SeasonalNaive(12),
        fs.ETS(season_length=12, model="AAdA"),
        fs.AutoETS(season_length=12),
        fs.HoltWinters(season_length=12, seasonality="multiplicative"),
        fs.CrostonClassic(),
        fs.CrostonOptimized(),
        fs.CrostonSBA(),
        fs.TSB(alpha_d=0.2, alpha_p=0.1),
        fs.ADIDA(),
        fs.IMAPA(),
        fs.AutoModel(season_length=12),
        fs.Ensemble(season_length=12, members=[fs.Naive(), fs.SeasonalNaive(12)], scheme={"scheme": "equal"}),
    ],
    ids=lambda m: type(m).__name__,
)
def test_model_from_spec_rebuilds_every_model_family(model):
    rebuilt = fs.model_from_spec(model.spec())
    assert type(rebuilt) is type(model)
    assert fs.model_from_spec(json.dumps(rebuilt.spec())).spec() == rebuilt.spec()
    np.testing.assert_array_equal(rebuilt.forecast(Y, 3)["mean"], model.forecast(Y, 3)["mean"])


@pytest.mark.parametrize(
    "call, error, field",
    [
        (lambda r: r.promote_if_better("S", fs.Naive(), {"mase": float("nan")}), fs.InvalidParameterError, "metrics.mase"),
        (lambda r: r.promote_if_better("S", fs.Naive(), {"mase": "low"}), fs.InvalidParameterError, "metrics.mase"),
        (lambda r: r.promote_if_better("S", fs.Naive(), [0.5]), fs.InvalidParameterError, "metrics"),
        (lambda r: r.promote_if_better(" ", fs.Naive(), {"mase": 1.0}), fs.InvalidParameterError, "sku"),
        (lambda r: r.promote_if_better("S", {"model": "prophet"}, {"mase": 1.0}), fs.InvalidParameterError, None),
        (lambda r: r.promote_if_better("S", 42, {"mase": 1.0}), fs.InvalidParameterError, "model"),
        (lambda r: r.promote_if_better("S", fs.Naive(), {}, trained_at=datetime(2026, 1, 1)), fs.InvalidParameterError, "trained_at"),
        (lambda r: r.promote_if_better("S", fs.Naive(), {}, trained_at="yesterday"), fs.InvalidParameterError, "trained_at"),
        (lambda r: r.promote_if_better("S", fs.Naive(), {}, window=-3), fs.InvalidParameterError, None),
        (lambda r: r.prune(-1), fs.InvalidParameterError, "keep"),
    ],
)
def test_bad_input_is_a_typed_error(call, error, field):
    reg = fs.Registry()
    with pytest.raises(error) as info:
        call(reg)
    if field is not None:
        assert info.value.field == field
    assert len(reg) == 0 or reg.history == []


def test_bad_policy_and_documents(tmp_path):
    with pytest.raises(fs.InvalidParameterError) as info:
        fs.Registry(min_relative_improvement=1.5)
    assert info.value.field == "min_relative_improvement"
    with pytest.raises(fs.InvalidParameterError):
        fs.Registry(metric="r2")
    with pytest.raises(fs.CorruptRecordError, match="schema_version"):
        fs.Registry.from_json('{"schema_version": 9}')
    with pytest.raises(fs.SerializationError):
        fs.Registry.from_json("not json")
    with pytest.raises(fs.StorageError):
        fs.Registry.load(tmp_path / "missing.json")
