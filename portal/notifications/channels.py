"""The two ways a message leaves the portal: e-mail over SMTP, and SMS through an HTTP gateway.
Either raises SendFailed when the message was not accepted, so it can be tried again."""
from __future__ import annotations

import smtplib
from email.message import EmailMessage

import requests

TIMEOUT_SECONDS = 10


class SendFailed(Exception):
    """The mail server or SMS gateway did not take the message."""


def send_email(config, to: str, subject: str, body: str) -> None:
    message = EmailMessage()
    message["From"] = config["MAIL_FROM"]
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    try:
        with smtplib.SMTP(config["SMTP_HOST"], config["SMTP_PORT"], timeout=TIMEOUT_SECONDS) as smtp:
            if config["SMTP_STARTTLS"]:
                smtp.starttls()
            if config["SMTP_USERNAME"]:
                smtp.login(config["SMTP_USERNAME"], config["SMTP_PASSWORD"])
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as error:
        raise SendFailed(f"SMTP: {error}") from error


def send_sms(config, to: str, text: str) -> None:
    """POST {"to": "+47…", "text": "…"} as JSON to the gateway; any 2xx answer means it took it.
    Gateways differ in their fields; this function is the one place to adapt to another."""
    url = config["SMS_GATEWAY_URL"]
    if not url:
        raise SendFailed("SMS: no gateway is set (SMS_GATEWAY_URL)")
    token = config["SMS_GATEWAY_TOKEN"]
    try:
        response = requests.post(url, json={"to": to, "text": text}, timeout=TIMEOUT_SECONDS,
                                 headers={"Authorization": f"Bearer {token}"} if token else {})
    except requests.RequestException as error:
        raise SendFailed(f"SMS: {error}") from error
    if not response.ok:
        raise SendFailed(f"SMS: the gateway answered {response.status_code}")
