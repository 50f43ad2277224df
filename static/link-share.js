// Buttons beside a link shown in a read-only field (templates/_link_to_pass_on.html): one copies the
// link, one opens the device's own way of sharing it where there is one. Without this script the
// buttons stay hidden and the link can still be selected and copied by hand.
for (const box of document.querySelectorAll("[data-link-share]")) {
  const field = box.querySelector("input");
  const copyButton = box.querySelector("[data-copy]");
  const shareButton = box.querySelector("[data-share]");
  const status = box.querySelector("[data-status]");

  // Emptied first, so saying the same words twice is announced twice.
  const say = (words) => {
    status.textContent = "";
    window.setTimeout(() => { status.textContent = words; }, 50);
  };

  const copy = async () => {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(field.value);
      return true;
    }
    field.select();
    return document.execCommand("copy");
  };

  field.addEventListener("focus", () => field.select());
  copyButton.hidden = false;
  copyButton.addEventListener("click", async () => {
    let copied = false;
    try {
      copied = await copy();
    } catch {
      copied = false;
    }
    if (!copied) field.select();
    say(copied ? box.dataset.copied : box.dataset.notCopied);
  });

  if (navigator.share) {
    shareButton.hidden = false;
    shareButton.addEventListener("click", () => {
      // Closing the share sheet without sharing rejects the promise: nothing to say then.
      navigator.share({ title: shareButton.dataset.title, url: field.value }).catch(() => {});
    });
  }
}
