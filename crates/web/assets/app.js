// Progressive enhancement only: every page works without this file.
// Adds a "show" toggle to password fields.
document.addEventListener("DOMContentLoaded", function () {
  var tr = document.documentElement.lang !== "en";
  document.querySelectorAll('input[type="password"]').forEach(function (input) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "toggle";
    b.textContent = tr ? "Parolayı göster" : "Show password";
    b.setAttribute("aria-controls", input.id);
    b.addEventListener("click", function () {
      var show = input.type === "password";
      input.type = show ? "text" : "password";
      b.textContent = show ? (tr ? "Parolayı gizle" : "Hide password") : (tr ? "Parolayı göster" : "Show password");
    });
    input.insertAdjacentElement("afterend", b);
  });
});
