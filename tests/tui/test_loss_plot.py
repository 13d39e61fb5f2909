"""Streamed training losses reach the plot live, as mergeable snapshot messages."""

from tutor.tui.messages import PointsUpdated

from .conftest import DESCENT_SOLUTION, DESCENT_WRONG, wait_for


def test_points_messages_merge_without_losing_points():
    old = PointsUpdated("chapter1/descent", {(0, "learner", "loss"): [(0, 1.0)]})
    new = PointsUpdated("chapter1/descent", {(0, "learner", "loss"): [(0, 1.0), (1, 0.5)]})
    other = PointsUpdated("chapter1/other", {})
    assert new.can_replace(old) and not other.can_replace(old)


async def test_loss_curves_update_live_while_training(make_app, workspace):
    app = make_app(fake={"points": 25, "delay": 0.04})  # about a second of streaming
    ex = app.catalog.exercise("chapter1/descent")
    workspace.learner_file(ex).write_text(DESCENT_WRONG)
    seen = []

    def hook(message):
        if isinstance(message, PointsUpdated):
            seen.append((sum(len(v) for v in message.series.values()), app.screen.grading))

    async with app.run_test(size=(160, 48), message_hook=hook) as pilot:
        await pilot.press("down", "enter")
        screen = app.screen
        plot = screen.query_one("#loss-plot")
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: plot.point_count("learner") > 0, timeout=10, step=0.02)
        assert screen.query_one("#bottom").active == "loss"  # the plot comes forward as points arrive
        await wait_for(pilot, lambda: screen.last_result is not None)
        counts = [count for count, _ in seen]
        assert len(counts) >= 2 and counts == sorted(counts)  # several growing snapshots, merged when late
        assert any(grading and count < 50 for count, grading in seen)  # drawn while the check still ran
        assert plot.point_count("learner") == 25 and plot.point_count("reference") == 25
        assert plot.updates >= 2
        assert str(screen.last_result.verdict) == "fail"
        assert screen.query_one("#bottom").active == "loss"  # the curve tells the story of a failure
        detail = str(screen.query_one("#results-view").detail_text(0))
        assert "descent.ascends" in detail and "yours 31000, reference 1e-05" in detail


async def test_real_training_check_streams_both_curves(make_app, workspace):
    app = make_app(real=True)
    ex = app.catalog.exercise("chapter1/descent")
    workspace.learner_file(ex).write_text(DESCENT_SOLUTION)
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.press("down", "enter", "ctrl+r")
        screen = app.screen
        await wait_for(pilot, lambda: screen.last_result is not None, timeout=60)
        assert str(screen.last_result.verdict) == "pass", screen.last_result
        plot = screen.query_one("#loss-plot")
        assert plot.point_count("learner") == 30 and plot.point_count("reference") == 30
        learner = plot.series[(0, "learner", "loss")]
        assert learner[0][1] > learner[-1][1]  # it descends


def test_point_stream_takes_points_from_two_threads_at_once():
    import threading

    from tutor.tui.screens.exercise import _PointStream

    class Sink:
        def __init__(self):
            self.messages = []

        def post_message(self, message):
            self.messages.append(message)

    sink = Sink()
    stream = _PointStream(sink, "x")

    def feed(role):
        for step in range(2000):
            stream.add({"index": step % 7, "role": role, "series": "loss", "step": step, "value": 1.0})
            if step % 50 == 0:
                stream.flush()

    threads = [threading.Thread(target=feed, args=(role,)) for role in ("learner", "reference")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    stream.flush()
    assert sum(len(v) for v in sink.messages[-1].series.values()) == 4000
