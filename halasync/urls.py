from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include("syncer.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
]

# JSON errors for /api/ paths that no view answered; HTML pages elsewhere.
handler400 = "syncer.api.exceptions.api_bad_request"
handler404 = "syncer.api.exceptions.api_page_not_found"
handler500 = "syncer.api.exceptions.api_server_error"
