from django.urls import path

from . import views, views_paper

app_name = "projects"

urlpatterns = [
    path("", views.index, name="index"),
    path("proposals/", views.proposals, name="proposals"),
    path("proposals/new/", views.propose, name="propose"),
    path("proposals/from-opinion/<int:opinion_id>/", views.from_opinion, name="from_opinion"),
    path("proposals/<int:proposal_id>/", views.proposal, name="proposal"),
    path("proposals/<int:proposal_id>/do/<str:key>/", views.proposal_act, name="proposal_act"),
    path("lists/new/", views.new_list, name="new_list"),
    path("lists/<int:candidate_list_id>/", views.candidate_list, name="list"),
    path("lists/<int:candidate_list_id>/do/<str:key>/", views.list_act, name="list_act"),
    path("lists/<int:candidate_list_id>/candidates/", views.add_candidate, name="add_candidate"),
    path("lists/<int:candidate_list_id>/ballot/", views.ballot, name="ballot"),
    path("lists/<int:candidate_list_id>/paper-ballots/", views_paper.hand, name="paper_hand"),
    path("lists/<int:candidate_list_id>/paper-totals/", views_paper.totals, name="paper_totals"),
    path("lists/<int:candidate_list_id>/paper-confirm/", views_paper.confirm, name="paper_confirm"),
    path("lists/<int:candidate_list_id>/live/", views.list_live, name="list_live"),
    path("lists/<int:candidate_list_id>/candidates.docx", views.list_docx, name="list_docx"),
    path("lists/<int:candidate_list_id>/result.docx", views.list_result, name="list_result"),
    path("lists/<int:candidate_list_id>/rating/", views.new_rating, name="new_rating"),
    path("lists/<int:candidate_list_id>/rate/", views.rate, name="rate"),
    path("ratings/<int:project_rating_id>/do/<str:key>/", views.rating_act, name="rating_act"),
    path("items/<int:project_id>/", views.project, name="project"),
    path("items/<int:project_id>/do/<str:key>/", views.project_act, name="project_act"),
    path("items/<int:project_id>/milestones/", views.add_milestone, name="add_milestone"),
    path("items/<int:project_id>/progress/", views.report, name="report"),
    path("items/<int:project_id>/inspections/", views.inspect, name="inspect"),
    path("photos/<int:photo_id>/", views.photo, name="photo"),
    path("ledger.xlsx", views.ledger, name="ledger"),
    path("adopted.docx", views.adopted, name="adopted"),
    path("figures/", views.figures, name="figures"),
]
