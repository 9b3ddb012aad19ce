// Small progressive enhancements; every page works without them.
"use strict";

// <form data-confirm="…">: ask before submitting a destructive action.
document.addEventListener("submit", function (event) {
  const form = event.target.closest("form[data-confirm]");
  if (form && !window.confirm(form.dataset.confirm)) {
    event.preventDefault();
  }
});

// htmx sends Django's CSRF token with every request (the token is in a meta-free header set on <body>).
document.addEventListener("htmx:responseError", function (event) {
  const status = event.detail.xhr.status;
  const message = status === 403
    ? "Bạn không có quyền thực hiện thao tác này."
    : "Không lưu được thay đổi (lỗi " + status + "). Vui lòng tải lại trang và thử lại.";
  window.alert(message);
});
