from drf_spectacular.contrib.django_oauth_toolkit import DjangoOAuthToolkitScheme


class CompanyOAuth2Scheme(DjangoOAuthToolkitScheme):
    target_class = "securityunion.access.api.CompanyOAuth2Authentication"
    name = "companyOAuth2"
