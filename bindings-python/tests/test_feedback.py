"""The feedback loop from Python: decisions (store + audit log), actuals, adapted ensemble weights
used by the plan, the feedback report, and realised accuracy in the run metrics and the scheduler."""

from datetime import datetime, timedelta, timezone

import numpy as np
import pandas as pd
import pytest

import forestock as fs
from conftest import FakeClock

T0 = datetime(2026, 3, 2, 6, 0, tzinfo=timezone.utc)


def day(i):
    return T0 + timedelta(days=i)


def test_decisions_are_stored_audited_and_checked(tmp_path):
    store, log = tmp_path / "decisions.jsonl", tmp_path / "audit.jsonl"
    r = fs.record_decision(store, "A-1", 100.0, "approved", by="ana", at=day(0), audit_log=log)
    assert (r["decision"], r["quantity"], r["at"]) == ("approved", 100.0, day(0))
    r = fs.record_decision(store, "A-1", 100.0, "adjusted", 120, by="ana", at=day(1), audit_log=log)
    assert r["quantity"] == 120.0
    assert fs.record_decision(store, "B-2", 7.0, "rejected", by="bo", at=day(1))["quantity"] == 0.0
    audit = fs.AuditLog.load(log)
    assert audit.verify() and [rec["payload"]["decision"] for rec in audit.records] == ["approved", "adjusted"]
    assert audit.records[1]["payload"] == {"type": "order_decision", "sku": "A-1", "recommendation": 100.0,
                                           "decision": "adjusted", "quantity": 120.0, "by": "ana"}
    for kwargs, field in [
        (dict(decision="aproved"), "decision"),
        (dict(decision="adjusted"), "quantity"),
        (dict(decision="adjusted", quantity=float("nan")), "quantity"),
        (dict(decision="adjusted", quantity=-1), "quantity"),
        (dict(decision="approved", quantity=90), "quantity"),
        (dict(decision="approved", at=day(0)), "at"),
        (dict(decision="approved", recommendation=float("inf")), "recommendation"),
        (dict(decision="approved", sku=""), "sku"),
    ]:
        args = {"sku": "A-1", "recommendation": 100.0, "at": day(2), **kwargs}
        with pytest.raises(fs.InvalidParameterError) as err:
            fs.record_decision(store, args.pop("sku"), args.pop("recommendation"), args.pop("decision"),
                               args.pop("quantity", None), by="ana", **args)
        assert err.value.field == field, (kwargs, err.value)
    with open(store, "a") as f:
        f.write('{"sku": "A-1", "recommendation"')
    with pytest.raises(fs.CorruptRecordError, match="line 4"):
        fs.feedback_report(store)


def test_weights_move_to_the_member_that_became_better_and_the_plan_uses_them(tmp_path):
    store = tmp_path / "actuals.jsonl"
    # "a" misses by 1 for 20 periods while "b" misses by 5; then "b" misses by 0.5 and "a" by 5.
    periods_to_follow = None
    for t in range(30):
        err_a, err_b = (1.0, 5.0) if t < 20 else (5.0, 0.5)
        fs.record_actuals(store, "A-1", 100.0, {"a": 100.0 + err_a, "b": 100.0 - err_b}, at=day(t), forecast=100.0)
        w = fs.adapted_weights(store, "A-1")
        assert w["members"] == ["a", "b"] and w["periods"] == t + 1
        if t >= 20 and periods_to_follow is None and w["weights"][1] >= 0.5:
            periods_to_follow = t - 19
    assert periods_to_follow == 6
    seed = fs.adapted_weights(store, "A-1", rule="inverse_error")
    assert seed["weights"][0] > 0.5  # the seed rule still prefers "a" after 10 periods of "b" being better
    with pytest.raises(fs.InvalidParameterError) as err:
        fs.record_actuals(store, "A-1", 100.0, {"a": 1.0}, at=day(29))
    assert err.value.field == "at"
    with pytest.raises(fs.InvalidParameterError) as err:
        fs.record_actuals(store, "A-1", 100.0, {"a": -1.0}, at=day(40))
    assert err.value.field == "forecasts.a"
    with pytest.raises(fs.MissingDataError):
        fs.adapted_weights(store, "nope")
    with pytest.raises(fs.InvalidParameterError) as err:
        fs.adapted_weights(store, "A-1", rule="hedge", shrinkage=0.5)
    assert err.value.field == "shrinkage"

    # The plan forecasts with the adapted weights of a SKU and reports each member's forecast.
    t = np.arange(72)
    y = 100 + 30 * np.sin(t * np.pi / 6) + t % 5
    demand = pd.DataFrame({"unique_id": "A-1", "ds": t, "y": y})
    items = pd.DataFrame({"unique_id": ["A-1"], "unit_cost": [2.0], "lead_time": [1.0]})
    model = fs.Ensemble(season_length=12, members=[fs.Naive(), fs.SeasonalNaive(season_length=12)])
    weights = {"A-1": {"naive": 0.25, "seasonal_naive": 0.75}}
    recs, failures, forecasts = fs.plan(demand, items, horizon=3, season_length=12, model=model,
                                        ensemble_weights=weights, return_forecasts=True)
    assert len(failures) == 0
    assert recs["model"][0].startswith("Ensemble(0.25·")
    expected = 0.25 * y[-1] + 0.75 * y[-12:-9]
    np.testing.assert_allclose(forecasts["mean"].to_numpy(), expected, rtol=1e-12)
    members = recs.attrs["member_forecasts"]["A-1"]
    np.testing.assert_allclose(members["naive"], [y[-1]] * 3)
    np.testing.assert_allclose(members["seasonal_naive"], y[-12:-9])


def test_a_planner_who_always_adds_20_percent_is_biased_and_judged_both_ways(tmp_path):
    def run(name, demand_factor):
        decisions, actuals = tmp_path / f"{name}-d.jsonl", tmp_path / f"{name}-a.jsonl"
        for t in range(10):
            forecast = 20.0 + t
            fs.record_decision(decisions, "A-1", 2 * forecast, "adjusted", 2.4 * forecast, by="ana", at=day(t))
            fs.record_actuals(actuals, "A-1", forecast * demand_factor, {"ets": forecast}, at=day(t),
                              forecast=forecast)
        fs.record_decision(decisions, "B-2", 5.0, "approved", by="bo", at=day(0))
        return fs.feedback_report(decisions, actuals, classes={"A-1": "A", "B-2": "C"})

    right = run("right", 1.25)
    a = right["by_sku"]["A-1"]
    assert a["biased"] and a["adds"] == 10 and a["cuts"] == 0
    assert a["bias"] == pytest.approx(0.2, abs=1e-12)
    assert a["bias_p_value"] == pytest.approx(2 / 1024, abs=1e-15)
    assert (a["judged"], a["overrides_closer"], a["verdict"]) == (10, 10, "right")
    assert right["by_class"]["A"]["verdict"] == "right"
    wrong = run("wrong", 1.0)
    assert wrong["by_sku"]["A-1"]["biased"] and wrong["by_sku"]["A-1"]["verdict"] == "wrong"
    c = wrong["by_class"]["C"]
    assert (c["approval_rate"], c["biased"], c["verdict"]) == (1.0, False, "not_judged")
    assert wrong["overall"]["approval_rate"] == pytest.approx(1 / 11)


def test_realised_accuracy_reaches_the_run_metrics_and_the_scheduler():
    history = {"A-1": [10.0, 12.0, 11.0, 13.0], "B-2": [1.0, 0.0, 2.0, 1.0]}
    forecasts = [{"sku": "A-1", "abc_class": "A", "mean": [12.0, 12.0]},
                 {"sku": "B-2", "abc_class": "C", "mean": [1.0, 1.0]}]
    actuals = {"A-1": [15.0, 9.0], "B-2": [2.0, 0.0]}
    realised = fs.realised_accuracy(forecasts, history, actuals, 1)
    # |3|/15 and |3|/9 -> MAPE 26.67%; naive scale (2+1+2)/3 -> MASE 3/(5/3) = 1.8.
    assert realised["A"]["mape"] == pytest.approx(100 * (3 / 15 + 3 / 9) / 2)
    assert realised["A"]["mase"] == pytest.approx(1.8)
    assert realised["C"]["skus"] == 1
    record = fs.run_metrics("plan", "daily", 1.0, summary=None, realised=realised, finished_at=0.0)
    assert record["realised"]["A"]["mase"] == pytest.approx(1.8)
    with pytest.raises(fs.InvalidParameterError) as err:
        fs.realised_accuracy([{"sku": "A-1"}], history, actuals, 1)
    assert err.value.field == "forecasts"

    class Result:
        forestock_realised = realised

    clock = FakeClock(T0 - timedelta(seconds=1))
    sched = fs.Scheduler(clock=clock)
    sched.add_job("accuracy", "0 6 * * *", lambda: Result())
    clock.now = T0
    assert sched.run_pending() == ["accuracy"]
    assert sched.wait_idle(60)
    assert sched.job("accuracy").last_metrics["realised"]["A"]["mase"] == pytest.approx(1.8)
    assert 'class="A"' in sched.metrics_text()
