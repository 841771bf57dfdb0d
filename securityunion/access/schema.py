from drf_spectacular.contrib.django_oauth_toolkit import DjangoOAuthToolkitScheme


class CompanyOAuth2Scheme(DjangoOAuthToolkitScheme):
    """OAuth 2 client credentials, with the scopes each operation declares
    (``required_scopes`` of the view, per method; any one of them suffices)."""

    target_class = "securityunion.access.api.CompanyOAuth2Authentication"
    name = "companyOAuth2"

    def get_security_requirement(self, auto_schema):  # noqa: ANN001, ANN201
        from .api import LEGACY_SCOPE, required_scopes_for

        scopes = required_scopes_for(auto_schema.view, auto_schema.method)
        if scopes is None:
            return None
        if not scopes:
            return {self.name: []}
        # the scope itself, or the ``reports`` scope that older clients hold (it grants all)
        return [{self.name: [scope]} for scope in (*scopes, LEGACY_SCOPE)]
