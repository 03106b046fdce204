import oscar.apps.catalogue.apps as apps


class CatalogueConfig(apps.CatalogueConfig):
    name = 'catalogue'

    def ready(self):
        super().ready()
        from django.db.models.signals import post_delete, post_save

        from .certificates import certificate_changed
        from .models import OcopCertificate

        post_save.connect(certificate_changed, sender=OcopCertificate, dispatch_uid="catalogue-rank-certificate")
        post_delete.connect(certificate_changed, sender=OcopCertificate, dispatch_uid="catalogue-rank-certificate-del")
