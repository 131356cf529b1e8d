# mawk: the dump to TSV (title, author, date, readers, excerpt), the way one would in a shell script.
# No escaping and sloppy edges: the speed reference, not a correct parser.
/^By .* \| .*位读者/ {
  if (have) print title "\t" author "\t" date "\t" readers "\t" excerpt
  n = split($0, f, / \| /)
  author = substr(f[1], 4); date = f[2]; readers = f[3]; sub(/位读者/, "", readers)
  excerpt = f[4]; sub(/^引用/, "", excerpt)
  title = prev; prev = ""; have = 1
  next
}
{
  if (have && prev != "") excerpt = excerpt "\\n" prev
  prev = $0
}
END {
  if (have && prev != "" && prev != "最近评论") excerpt = excerpt "\\n" prev
  if (have) print title "\t" author "\t" date "\t" readers "\t" excerpt
}
