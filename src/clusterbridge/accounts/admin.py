from django.contrib import admin

from .models import Membership, Profile

admin.site.register(Profile)
admin.site.register(Membership)
