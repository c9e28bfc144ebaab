from email import message_from_bytes, policy
from email.message import EmailMessage

from services.core import mail
from services.core.settings import Settings


def test_without_an_smtp_url_a_message_is_written_as_an_eml_file_under_var_mail(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    message = EmailMessage()
    message["To"] = "sam@example.com"
    message["Subject"] = "Choose a new password"
    message.set_content("posterior://account/password-reset?token=pr_abc")

    mail.send(message, Settings(smtp_url=None))

    [written] = (tmp_path / "var" / "mail").glob("*.eml")
    read = message_from_bytes(written.read_bytes(), policy=policy.default)
    assert read["Subject"] == "Choose a new password"
