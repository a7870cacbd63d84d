using Frontlijn.Web.Infrastructure.Web;

namespace Frontlijn.Web.Pages.Admin;

/// <summary>Paging of the admin lists: the API's own paging, 25 rows a page.</summary>
public static class AdminLists
{
    public const int PageSize = 25;

    /// <summary>A page number from the query string; anything unusable shows the first page rather than an error.</summary>
    public static WebConventions.Paging Paging(int? page) => new(page is >= 1 and <= 100_000 ? page.Value : 1, PageSize);

    /// <summary>Lookups (names for ids in a list) read at most this many rows, the API's largest page.</summary>
    public static readonly WebConventions.Paging Lookup = new(1, 200);
}
