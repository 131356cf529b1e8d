# The reference a user would write in ten minutes: read everything, split lines, a regex, json.dumps.
import json
import re
import sys

path = sys.argv[1]
with open(path, encoding="utf-8") as f:
    lines = f.read().splitlines()
header = re.compile(r"^By (.+?) \| (\d{4}-\d{2}-\d{2}) \| ([\d,]+)位读者 \| 引用(.*)$")
posts = []
post = None
for i, line in enumerate(lines):
    m = header.match(line)
    if m:
        if post:
            post["excerpt"].pop()
            posts.append(post)
        post = {"title": lines[i - 1], "author": m[1], "date": m[2], "readers": int(m[3].replace(",", "")),
                "excerpt": [m[4]], "url": None, "id": None, "source": path, "line": i + 1}
    elif post and line:
        post["excerpt"].append(line)
if post:
    posts.append(post)
if posts and "最近评论" in posts[-1]["excerpt"]:
    del posts[-1]["excerpt"][posts[-1]["excerpt"].index("最近评论"):]
out = sys.stdout
for p in posts:
    p["excerpt"] = "\n".join(p["excerpt"])
    out.write(json.dumps(p, ensure_ascii=False, separators=(",", ":")) + "\n")
