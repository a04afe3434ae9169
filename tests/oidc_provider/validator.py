from oauth2_provider.oauth2_validators import OAuth2Validator


class Validator(OAuth2Validator):
    """The standard claims of the person logged in at the provider. A user whose last name is
    "Unverified" has an e-mail address the provider never verified."""

    oidc_claim_scope = {**OAuth2Validator.oidc_claim_scope, "email_verified": "email", "given_name": "profile",
                        "family_name": "profile", "locale": "profile"}

    def get_additional_claims(self, request):
        user = request.user
        return {"email": user.email, "email_verified": user.last_name != "Unverified",
                "given_name": user.first_name, "family_name": user.last_name, "locale": "zh-TW"}
