namespace Frontlijn.Web.Features.Notifications;

public static class NotificationsEndpoints
{
    public static RouteGroupBuilder MapNotifications(this RouteGroupBuilder api)
    {
        ListNotifications.Map(api);
        MarkNotificationRead.Map(api);
        return api;
    }
}
