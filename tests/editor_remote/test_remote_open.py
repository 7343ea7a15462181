"""What ``jtui`` makes of server URLs and options (no server needed), and the pieces the
editor's remote mode rests on: the conflict rule, journal keys, the contents seam."""

from __future__ import annotations

from pathlib import Path

import pytest

from protocol.remote.contents import RemoteStamp
from tests.editor_remote.conftest import parse
from tui.contents import LocalFile
from tui.contents.remote import ServerFile
from tui.notebook.remote_open import RemoteOpenError, remote_target
from tui.recovery import store
from tui.session.remote_manager import gateway_env


@pytest.mark.parametrize(("url", "base", "path"), [
    ("http://127.0.0.1:8888/lab/tree/work/a.ipynb?token=T", "http://127.0.0.1:8888/",
     "work/a.ipynb"),
    ("http://h:8888/user/ann/lab/tree/a%20b.ipynb?token=T", "http://h:8888/user/ann/",
     "a b.ipynb"),
    ("https://hub.example/user/ann/notebooks/x/y.ipynb?token=T", "https://hub.example/user/ann/",
     "x/y.ipynb"),
    ("http://h/doc/tree/d.ipynb?token=T", "http://h/", "d.ipynb"),
    ("http://h/base/lab/workspaces/auto-x/tree/w.ipynb?token=T", "http://h/base/", "w.ipynb"),
    ("http://h/tree/t.ipynb?token=T", "http://h/", "t.ipynb"),
])
def test_every_browser_url_form_opens_that_notebook(url: str, base: str, path: str) -> None:
    target = remote_target(parse(url))
    assert target is not None and isinstance(target.contents, ServerFile)
    assert target.contents.server.base_url == base and target.contents.path == path
    assert target.contents.server.token == "T"
    assert target.starter.path == path and target.path == Path(path)
    assert "T" not in target.contents.journal_source.replace("http", "")


def test_server_and_path_token_precedence_and_gateway(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JUPYTER_TOKEN", "from-env")
    target = remote_target(parse("--server", "http://h:1/user/x/lab", "/dir/n.ipynb"))
    assert target is not None and target.contents is not None
    assert target.contents.server.token == "from-env" and target.contents.path == "dir/n.ipynb"
    target = remote_target(parse("--server", "http://h:1/?token=url", "n.ipynb",
                                 "--token", "arg"))
    assert target is not None and target.contents is not None
    assert target.contents.server.token == "arg"
    target = remote_target(parse("local.ipynb", "--gateway", "http://gw:8888"))
    assert target is not None and target.contents is None and target.starter.path is None
    assert target.path == Path("local.ipynb")
    assert remote_target(parse("local.ipynb")) is None


@pytest.mark.parametrize("argv", [
    ("http://h/lab?token=SECRET",),
    ("http://h/lab/tree/folder?token=SECRET",),
    ("n.ipynb", "--server", "http://h/", "--gateway", "http://g/"),
    ("http://h/lab/tree/a.ipynb?token=SECRET", "--gateway", "http://g/"),
    ("--server", "ftp://h/", "a.ipynb"),
])
def test_what_cannot_be_opened_is_a_sentence_without_the_token(argv: tuple[str, ...]) -> None:
    with pytest.raises(RemoteOpenError) as err:
        remote_target(parse(*argv))
    assert "SECRET" not in str(err.value)


def test_conflict_rule_hash_first_else_last_modified() -> None:
    a = RemoteStamp("2026-01-01T00:00:00Z", "abc", "sha256")
    assert a.same_file(RemoteStamp("2026-01-02T00:00:00Z", "abc", "sha256"))  # touched only
    assert not a.same_file(RemoteStamp("2026-01-01T00:00:00Z", "abd", "sha256"))
    old = RemoteStamp("2026-01-01T00:00:00Z")  # a server before 2.11: no hash
    assert old.same_file(RemoteStamp("2026-01-01T00:00:00Z"))
    assert not old.same_file(RemoteStamp("2026-01-01T00:00:01Z", "abc", "sha256"))


def test_journal_keys_keep_urls_and_resolve_paths(tmp_path: Path) -> None:
    url = "http://127.0.0.1:8888/user/ann/work/a.ipynb"
    assert store.source_key(url) == url
    assert store.source_key(Path(url)) == url  # Path folds // : the key does not change
    assert store.journal_stem(url) == store.journal_stem(Path(url))
    assert store.journal_stem(url).startswith("a.ipynb-")
    assert store.journal_stem(url) != store.journal_stem("http://other:8888/user/ann/work/a.ipynb")
    (tmp_path / "n.ipynb").write_text("{}")
    assert store.source_key(tmp_path / "n.ipynb") == str((tmp_path / "n.ipynb").resolve())


def test_local_file_is_the_default_contents(tmp_path: Path) -> None:
    local = LocalFile(tmp_path / "n.ipynb")
    assert not local.remote and local.journal_source == tmp_path / "n.ipynb"
    assert local.checkpoint_time() is None


def test_gateway_env_passes_kernel_variables() -> None:
    env = gateway_env({"KERNEL_USERNAME": "ann", "KERNEL_NAMESPACE": "ns", "HOME": "/h"})
    assert env == {"KERNEL_USERNAME": "ann", "KERNEL_NAMESPACE": "ns"}
    assert "KERNEL_USERNAME" in gateway_env({})
