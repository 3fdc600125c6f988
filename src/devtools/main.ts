chrome.devtools.panels.create("Telegram Errors","","extension/panel.html")
