namespace Frontlijn.Web.Pages;

/// <summary>Page links under a list; <paramref name="Href"/> builds the link of a page number (keeping any filter).</summary>
public sealed record Pager(int Page, int PageSize, int Total, Func<int, string> Href)
{
    public int Pages => Math.Max(1, (Total + PageSize - 1) / PageSize);
    public int First => Total == 0 ? 0 : ((Page - 1) * PageSize) + 1;
    public int Last => Math.Min(Total, Page * PageSize);

    public static Pager For<T>(Infrastructure.Web.PagedResult<T> result, Func<int, string> href) =>
        new(result.Page, result.PageSize, result.Total, href);
}
