/** Initials on a hue picked from the name, so a persona is recognisable at a glance in every list. */
export function Avatar({ name, size = "normal" }: { name: string; size?: "normal" | "large" }) {
  const initials = name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((part) => part[0]!.toUpperCase())
    .join("");
  let hash = 0;
  for (const char of name) hash = (hash * 31 + char.codePointAt(0)!) % 360;
  return (
    <span
      className={`avatar${size === "large" ? " avatar--large" : ""}`}
      style={{ "--avatar-hue": hash } as React.CSSProperties}
      aria-hidden="true"
    >
      {initials || "?"}
    </span>
  );
}
