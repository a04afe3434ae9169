"""A real OpenID Connect provider for the federated-login tests: a small Django site with
django-oauth-toolkit, run as its own process on localhost (another host name than the site's
127.0.0.1, so that the two sites' cookies stay apart). Never a mock of the protocol."""
