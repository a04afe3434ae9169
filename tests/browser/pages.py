"""What every browser test does alike."""

PASSWORD = "a-long-password-1"  # the factories' password


def login(page, live_server, name: str, next_url: str = "/", password: str = PASSWORD) -> None:
    """Logs `name` in through the login page (a fresh session) and lands on `next_url`."""
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/accounts/login/?next={next_url}")
    page.get_by_label("User name").fill(name)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()
