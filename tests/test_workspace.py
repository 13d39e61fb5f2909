import pytest

from tutor.engine.catalog import load_catalog
from tutor.engine.errors import WorkspaceError
from tutor.engine.workspace import find_workspace, init_workspace


def test_init_writes_config_and_starters(tmp_path):
    catalog = load_catalog()
    ws, written = init_workspace(tmp_path / "ws", catalog)
    assert (ws.root / "tutor.toml").is_file()
    assert len(written) == len(catalog.exercises)
    softmax = catalog.exercise("chapter4/softmax")
    assert (ws.root / "chapter4" / "softmax.py").read_text() == softmax.starter
    assert not any(ws.root.rglob("reference.py")), "references never go into the workspace"


def test_reinit_never_overwrites_learner_files_and_adds_new_ones(tmp_path):
    catalog = load_catalog()
    ws, _ = init_workspace(tmp_path, catalog)
    mine = ws.root / "chapter4" / "softmax.py"
    mine.write_text("# my work\n")
    (ws.root / "chapter4" / "cross_entropy.py").unlink()
    _, written = init_workspace(tmp_path, catalog)
    assert mine.read_text() == "# my work\n"
    assert [ex.id for ex in written] == ["chapter4/cross_entropy"]


def test_find_workspace_walks_up(tmp_path):
    ws, _ = init_workspace(tmp_path / "ws", load_catalog())
    deep = ws.root / "chapter4" / "sub"
    deep.mkdir()
    assert find_workspace(start=deep).root == ws.root


def test_missing_workspace_is_a_clear_error(tmp_path):
    with pytest.raises(WorkspaceError, match="no tutor workspace"):
        find_workspace(start=tmp_path)
    with pytest.raises(WorkspaceError, match="not a tutor workspace"):
        find_workspace(explicit=tmp_path)


def test_reset_keeps_a_backup(tmp_path):
    catalog = load_catalog()
    ws, _ = init_workspace(tmp_path, catalog)
    ex = catalog.exercise("chapter4/softmax")
    ws.learner_file(ex).write_text("attempt 1\n")
    backup = ws.reset(ex)
    assert backup.read_text() == "attempt 1\n"
    assert ws.learner_file(ex).read_text() == ex.starter
    ws.learner_file(ex).write_text("attempt 2\n")
    second = ws.reset(ex)
    assert second != backup and backup.read_text() == "attempt 1\n" and second.read_text() == "attempt 2\n"


def test_broken_tutor_toml(tmp_path):
    (tmp_path / "tutor.toml").write_text("[workspace\n")
    with pytest.raises(WorkspaceError, match="tutor.toml: invalid TOML"):
        find_workspace(start=tmp_path)
