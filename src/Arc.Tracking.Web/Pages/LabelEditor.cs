using System.Text;

namespace Arc.Tracking.Web;

/// <summary>A model's or version's labels: a list for readers; for writers also a remove button per label and an add form.</summary>
internal static class LabelEditor
{
    public static string Render(string action, string owner, IReadOnlyDictionary<string, string> labels, bool canWrite)
    {
        var html = new StringBuilder("<ul class=\"labels\">");
        if (labels.Count == 0) html.Append("<li>no labels</li>");
        foreach (var (key, value) in labels.OrderBy(l => l.Key, StringComparer.Ordinal))
        {
            html.Append($"<li><code>{Html.E(key)}</code> = <code>{Html.E(value)}</code>");
            if (canWrite)
                html.Append($" <form method=\"post\" action=\"{Html.E(action)}\" class=\"write inline\"><input type=\"hidden\" name=\"key\" value=\"{Html.E(key)}\">")
                    .Append($"<input type=\"hidden\" name=\"remove\" value=\"1\"><button type=\"submit\" aria-label=\"Remove label {Html.E(key)} of {Html.E(owner)}\">Remove</button></form>");
            html.Append("</li>");
        }
        html.Append("</ul>");
        if (canWrite)
        {
            string id = "label-" + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(action)))[..10].ToLowerInvariant();
            html.Append($"<form method=\"post\" action=\"{Html.E(action)}\" class=\"write\">")
                .Append($"<label for=\"{id}-key\">Label key</label> <input id=\"{id}-key\" name=\"key\" required> ")
                .Append($"<label for=\"{id}-value\">Value</label> <input id=\"{id}-value\" name=\"value\" required> ")
                .Append($"<button type=\"submit\" aria-label=\"Add label to {Html.E(owner)}\">Add label</button></form>");
        }
        return html.ToString();
    }
}
